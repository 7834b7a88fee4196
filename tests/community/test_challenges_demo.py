"""The demo network comes with a running team challenge with a lively leaderboard and a finished one,
scored from the demo's history written once into the activity log."""

import pytest
from django.core.management import call_command

from apprenance.community import challenges
from apprenance.community.demo import load_demo_challenges
from apprenance.community.models import Registration, TeamChallenge
from apprenance.core.models import Event
from apprenance.practices.models import Adoption, Practice
from apprenance.questions.models import Answer

pytestmark = pytest.mark.django_db

VERBS = ["practice.published", "question.answered", "practice.adopted", "session.attended"]


def test_the_demo_has_a_running_and_a_finished_challenge_scored_from_its_history(signed_in):
    call_command("load_demo")
    by_status = {challenge.status: challenge for challenge in TeamChallenge.objects.all()}
    assert set(by_status) == {"running", "finished"}
    running, finished = by_status["running"], by_status["finished"]
    assert (running.metric, finished.metric) == ("answers_given", "adoptions")
    # Every answer of the demo is in the running challenge's period.
    assert Answer.objects.filter(created_at__date__lt=running.starts_on).count() == 0
    logged = Event.objects.filter(verb__in=VERBS).count()
    assert logged == (
        Practice.objects.filter(status="published").count()
        + Answer.objects.count()
        + Adoption.objects.count()
        + Registration.objects.filter(attended=True).count()
    )
    board = challenges.leaderboard(running)
    scoring = [standing for standing in board.standings if standing.points]
    assert len(scoring) >= 10
    assert any(not standing.points for standing in board.standings)  # zero points are shown too
    assert board.standings[0].points > board.standings[len(scoring) - 1].points
    # Some answers went to the answerer's own team: they are in the log but give nothing.
    assert sum(standing.actions for standing in board.standings) < Answer.objects.count()
    assert sum(standing.points for standing in challenges.leaderboard(finished).standings) > 0
    assert load_demo_challenges() == 0
    assert Event.objects.filter(verb__in=VERBS).count() == logged
    assert TeamChallenge.objects.count() == 2
    leader = challenges.team_contributions(board, board.standings[0].team.pk)[0][0]
    page = signed_in(leader).get(running.get_absolute_url()).content.decode()
    assert f"Votre équipe : {board.standings[0].team.name}" in page
    assert "rang 1 sur" in page


def test_without_the_demo_people_no_challenge_is_made(people):
    assert load_demo_challenges() == 0
    assert not TeamChallenge.objects.exists()
    assert not Event.objects.filter(verb__in=VERBS).exists()
