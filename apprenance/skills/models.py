from django.utils.translation import gettext_lazy as _

from apprenance.core.labels import Label


class Skill(Label):
    """An entry of the network's skills framework (« Animer une réunion », « Déléguer »…)."""

    class Meta(Label.Meta):
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
