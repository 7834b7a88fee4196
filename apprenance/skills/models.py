from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apprenance.core.labels import Label


class Skill(Label):
    """An entry of the network's skills framework (« Animer une réunion », « Déléguer »…)."""

    class Meta(Label.Meta):
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")


class MemberSkill(models.Model):
    """A skill a member declares, and whether they can teach it."""

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Débutant·e")
        PRACTISED = "practised", _("Confirmé·e")
        EXPERT = "expert", _("Expert·e")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_skills")
    skill = models.ForeignKey(Skill, verbose_name=_("compétence"), on_delete=models.CASCADE, related_name="holders")
    level = models.CharField(_("niveau"), max_length=12, choices=Level.choices, default=Level.PRACTISED)
    can_teach = models.BooleanField(_("peut la transmettre"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("compétence déclarée")
        verbose_name_plural = _("compétences déclarées")
        constraints = [models.UniqueConstraint(fields=["member", "skill"], name="member_skill_once")]

    def __str__(self):
        return f"{self.member_id}: {self.skill_id}"
