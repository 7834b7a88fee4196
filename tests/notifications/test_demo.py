"""The demo network opens on notification centres that reflect its history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apprenance.notifications.demo import replay_demo_notifications
from apprenance.notifications.kinds import Frequency
from apprenance.notifications.models import Notification
from apprenance.practices import services as practice_services
from apprenance.practices.models import Practice
from apprenance.questions import services as question_services
from apprenance.questions.models import Answer
from tests.practices.factories import practice
from tests.questions.factories import ask

pytestmark = pytest.mark.django_db


def test_the_history_is_replayed_as_notifications_dated_when_it_happened_and_never_emailed(people):
    long_ago = timezone.now() - timedelta(days=40)
    written = practice(people.owner, title="Le point du lundi")
    Practice.objects.filter(pk=written.pk).update(published_at=long_ago)
    practice_services.toggle_reaction(people.colleague, written, "useful")
    practice_services.toggle_reaction(people.owner, written, "thanks")  # their own: nobody told
    question = ask(people.owner, title="Comment accueillir un stagiaire ?")
    answer = question_services.answer_question(people.outsider, question, "Un binôme la première semaine.")
    Notification.objects.all().delete()  # what the services sent as it happened
    recent = timezone.now() - timedelta(days=2)
    Answer.objects.filter(pk=answer.pk).update(created_at=recent)

    assert replay_demo_notifications() == 2

    useful = Notification.objects.get(kind="practice.useful")
    assert (useful.recipient, useful.actor) == (people.owner, people.colleague)
    # Undated in the file, the reaction is dated soon after the practice: read, a month ago.
    assert long_ago < useful.created_at < long_ago + timedelta(days=4)
    assert useful.read_at is not None
    answered = Notification.objects.get(kind="question.answered")
    assert (answered.recipient, answered.actor, answered.created_at) == (people.owner, people.outsider, recent)
    assert answered.read_at is None
    assert answered.target_url == question.get_absolute_url()
    assert not Notification.objects.exclude(email_frequency=Frequency.OFF).exists()
