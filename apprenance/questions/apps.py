from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "apprenance.questions"
    label = "questions"
    verbose_name = _("Questions")

    def ready(self):
        from apprenance.questions import tasks  # noqa: F401 -- registers the nightly profiles job

        post_migrate.connect(create_search_indexes, sender=self)


def create_search_indexes(sender, using="default", **kwargs):
    """The full-text indexes live outside Django's models (FTS5 or tsvector tables, counts)."""
    from apprenance.core.search import ensure_counted_index, ensure_index
    from apprenance.questions.finding import ANSWER_INDEX, QUESTION_INDEX
    from apprenance.questions.profiles import PROFILE_INDEX

    ensure_index(QUESTION_INDEX, using)
    ensure_index(ANSWER_INDEX, using)
    ensure_counted_index(PROFILE_INDEX, using)
