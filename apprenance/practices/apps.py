from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "apprenance.practices"
    label = "practices"
    verbose_name = _("Pratiques")

    def ready(self):
        post_migrate.connect(create_search_index, sender=self)


def create_search_index(sender, using="default", **kwargs):
    """The full-text index lives outside Django's models (an FTS5 or tsvector table)."""
    from apprenance.core.search import ensure_index
    from apprenance.practices.ranking import INDEX

    ensure_index(INDEX, using)
