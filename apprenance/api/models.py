import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apprenance.people.models import hash_token


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Tokens not revoked whose member may still sign in."""
        return self.filter(revoked_at__isnull=True, member__is_active=True)


class ApiToken(models.Model):
    """A bearer token for integrations; only its hash is stored, the key is shown once."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d’API")
        verbose_name_plural = _("jetons d’API")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @classmethod
    def issue(cls, member, name: str) -> tuple["ApiToken", str]:
        key = "apr_" + secrets.token_urlsafe(32)
        return cls.objects.create(member=member, name=name, key_hash=hash_token(key)), key
