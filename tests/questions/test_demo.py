"""The demo network holds questions, most answered, whose experts the routing finds."""

import pytest
from django.core.management import call_command

from apprenance.notifications.models import Notification
from apprenance.people.models import Member
from apprenance.questions.models import Question
from tests.questions.factories import ask

pytestmark = pytest.mark.django_db


def test_the_demo_questions_are_loaded_and_lead_to_their_experts():
    call_command("load_demo")
    questions = Question.objects.all()
    answered = questions.filter(answer_count__gt=0).count()
    assert questions.count() >= 40
    assert answered > questions.count() * 0.7
    assert questions.filter(answer_count=0).exists()
    assert questions.filter(accepted_answer__isnull=False).count() >= 25
    # Askers open on the answers they were told about.
    assert Notification.objects.filter(kind="question.answered", recipient__questions__in=questions).exists()
    asker = Member.objects.get(email="ophelie.marty@lato-univ-loirearnelle.example")
    cases = {
        "Comment fais-tu pour qu’un chef de chantier signale les presque-accidents ?": "justine.langlois",
        "Comment apaiser un usager en colère à l’accueil ?": "jacqueline.perrot",
        "Comment transmettre ses savoirs avant de partir à la retraite ?": "jacqueline.perrot",
    }
    for title, expert in cases.items():
        experts = [row.expert.email.split("@")[0] for row in ask(asker, title=title).solicitations.order_by("rank")]
        assert expert in experts[:3], (title, experts)
