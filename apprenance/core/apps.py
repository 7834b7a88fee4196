from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apprenance.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self):
        from apprenance.core import tasks  # noqa: F401 -- registers the periodic jobs
