from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apprenance.core.labels import Label

# The largest id a BigAutoField holds (PostgreSQL's bigint, SQLite's INTEGER).
LARGEST_ID = 2**63 - 1


class AppendOnlyError(Exception):
    """Raised when code tries to rewrite or delete the activity log."""


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the activity log is append-only")

    def delete(self):
        raise AppendOnlyError("the activity log is append-only")


class Event(models.Model):
    """One line of the append-only activity log that analytics, badges and exports read."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("type d’objet"), max_length=64, blank=True)
    object_id = models.PositiveBigIntegerField(_("identifiant de l’objet"), null=True, blank=True)
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        "people.Team",
        verbose_name=_("équipe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    payload = models.JSONField(_("détails"), default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("journal d’activité")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Pulse analytics scan one organisation's events over a period.
            models.Index(fields=["organisation", "created_at"], name="event_org_time"),
            # "What happened to this object?" (timelines, badge evidence).
            models.Index(fields=["object_type", "object_id"], name="event_object"),
            # Per-member history (RGPD export, gamification).
            models.Index(fields=["actor", "created_at"], name="event_actor_time"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_id} {self.verb} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("the activity log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the activity log is append-only")


class Generation(models.Model):
    """A counter bumped by every write to a family of data (e.g. "people").

    Cached fragments put the counter in their key: a write makes them unreachable at
    once in every process, without having to find and delete them.
    """

    name = models.CharField(max_length=40, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("génération de cache")
        verbose_name_plural = _("générations de cache")

    def __str__(self):
        return f"{self.name}={self.value}"


class ScheduledRun(models.Model):
    """One slot of a periodic job; the unique key is what makes each run happen once."""

    job = models.CharField(max_length=80)
    slot = models.DateTimeField()
    missed = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("exécution planifiée")
        verbose_name_plural = _("exécutions planifiées")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot")]

    def __str__(self):
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"


class Delivery(models.Model):
    """One thing sent to someone (an e-mail, a prompt), claimed under a unique key before it goes out.

    A claimed delivery is never sent again, even by a worker restarted after a crash; see
    apprenance.core.delivery.
    """

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("en cours d’envoi")
        SENT = "sent", _("envoyé")

    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        indexes = [
            # Monitoring: claims that never turned into a sent delivery.
            models.Index(fields=["status", "claimed_at"], name="delivery_status_claimed"),
        ]

    def __str__(self):
        return f"{self.key} ({self.status})"


class Tag(Label):
    """A free word members put on what they share (« réunion », « bien-être »…)."""

    class Meta(Label.Meta):
        verbose_name = _("mot-clé")
        verbose_name_plural = _("mots-clés")
