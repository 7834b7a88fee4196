from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "apprenance.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from apprenance.notifications import tasks  # noqa: F401 -- registers the digest jobs
