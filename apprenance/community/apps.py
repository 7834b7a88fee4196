from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "apprenance.community"
    label = "community"
    verbose_name = _("Animation de la communauté")

    def ready(self):
        from apprenance.community import tasks  # noqa: F401 -- registers the periodic jobs
