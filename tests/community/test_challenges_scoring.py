"""Team challenges' points, computed from the activity log: what counts, diminishing returns, no points
for one's own team, the team credited, the period, the scope, zero points and ties."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apprenance.community import challenges, sessions
from apprenance.community.models import Registration
from apprenance.core.models import Event
from apprenance.practices import services as practice_services
from apprenance.questions import services as question_services
from tests.community.factories import live_session, team_challenge
from tests.people.factories import MemberFactory, TeamFactory
from tests.practices.factories import practice
from tests.questions.factories import ask

pytestmark = pytest.mark.django_db

ANSWER = "Je prépare une grille et je l’envoie une semaine avant."


@pytest.fixture
def greeter(people):
    """A member of a second team of the first organisation, « Accueil »."""
    return MemberFactory(
        organisation=people.organisation, teams=[TeamFactory(organisation=people.organisation, name="Accueil")]
    )


def points(challenge) -> dict[str, int]:
    return {standing.team.name: standing.points for standing in challenges.leaderboard(challenge).standings}


def log(actor, verb, target, at, *, team=None, object_type=None):
    """An event written as the services write them, at a chosen time."""
    return Event.objects.create(
        actor=actor,
        verb=verb,
        object_type=object_type or target._meta.label_lower,
        object_id=target.pk,
        team=team,
        created_at=at,
    )


def test_each_metric_counts_its_own_verb(people, greeter):
    question = ask(people.owner)
    question_services.answer_question(people.outsider, question, ANSWER)
    shared = practice(people.owner)  # its team is the owner's, « État civil »
    practice_services.adopt_practice(people.outsider, shared, team=people.other_team, outcome="worked", note="")
    session = live_session(people.animator, starts_at=timezone.now() - timedelta(hours=1))
    Registration.objects.create(session=session, member=greeter, status="confirmed")
    sessions.mark_attendance(people.animator, session, {greeter.pk})
    answers = team_challenge(people.network_admin, metric="answers_given")
    assert points(answers) == {"Accueil": 0, "Agence centre": 4, "État civil": 0}
    assert points(team_challenge(people.network_admin, metric="practices_shared")) == {
        "Accueil": 0,
        "Agence centre": 0,
        "État civil": 4,
    }
    assert points(team_challenge(people.network_admin, metric="adoptions")) == {
        "Accueil": 0,
        "Agence centre": 4,
        "État civil": 0,
    }
    # Attendance is logged without a team: the attendee's team today gets the points.
    assert points(team_challenge(people.network_admin, metric="session_attendance")) == {
        "Accueil": 4,
        "Agence centre": 0,
        "État civil": 0,
    }


def test_repeated_actions_on_one_thread_give_4_then_2_then_1_then_nothing(people):
    question = ask(people.owner)
    for _ in range(5):
        question_services.answer_question(people.outsider, question, ANSWER)
    challenge = team_challenge(people.network_admin)
    board = challenges.leaderboard(challenge)
    agency = board.standing_of(people.other_team.pk)
    assert (agency.points, agency.actions, agency.contributors) == (4 + 2 + 1, 3, 1)
    # Another thread starts again at 4, and so does another person on the same thread.
    question_services.answer_question(
        people.outsider, ask(people.colleague, title="Comment fais-tu tes plannings ?"), ANSWER
    )
    teammate = MemberFactory(organisation=people.other_organisation, teams=[people.other_team])
    question_services.answer_question(teammate, question, ANSWER)
    agency = challenges.leaderboard(challenge).standing_of(people.other_team.pk)
    assert (agency.points, agency.actions, agency.contributors) == (7 + 4 + 4, 5, 2)


def test_answering_or_adopting_within_ones_own_team_gives_nothing(people, greeter):
    question = ask(people.owner)
    question_services.answer_question(people.colleague, question, ANSWER)  # same team
    question_services.answer_question(people.owner, question, ANSWER)  # one's own question
    question_services.answer_question(greeter, question, ANSWER)  # another team of the organisation
    assert points(team_challenge(people.animator, organisation=people.organisation)) == {"Accueil": 4, "État civil": 0}
    shared = practice(people.owner)
    practice_services.adopt_practice(people.colleague, shared, team=people.team, outcome="worked", note="")
    practice_services.adopt_practice(greeter, shared, team=greeter.teams.get(), outcome="partly", note="")
    adoptions = team_challenge(people.animator, organisation=people.organisation, metric="adoptions")
    assert points(adoptions) == {"Accueil": 4, "État civil": 0}


def test_an_action_that_gave_nothing_still_counts_as_a_repeat(people, greeter):
    shared = practice(people.owner)
    practice_services.adopt_practice(people.colleague, shared, team=people.team, outcome="partly", note="")
    # The colleague tries it again, this time with the other team: a second action on the thread.
    accueil = greeter.teams.get()
    practice_services.adopt_practice(people.colleague, shared, team=accueil, outcome="worked", note="")
    adoptions = team_challenge(people.animator, organisation=people.organisation, metric="adoptions")
    assert points(adoptions) == {"Accueil": 2, "État civil": 0}


def test_the_team_credited_is_the_logged_one_else_the_first_team_by_name(people):
    zebras = TeamFactory(organisation=people.organisation, name="Zèbres")
    archives = TeamFactory(organisation=people.organisation, name="Archives")
    both = MemberFactory(organisation=people.organisation, teams=[zebras, archives])
    alone = MemberFactory(organisation=people.organisation)  # in no team
    session = live_session(people.animator, starts_at=timezone.now() - timedelta(hours=1))
    for member in (both, alone):
        Registration.objects.create(session=session, member=member, status="confirmed")
    sessions.mark_attendance(people.animator, session, {both.pk, alone.pk})
    attendance = team_challenge(people.animator, organisation=people.organisation, metric="session_attendance")
    assert points(attendance) == {"Archives": 4, "État civil": 0, "Zèbres": 0}
    # A practice brings its points to the team it was written for, not to its author's first team.
    practice(both, team=zebras)
    shared = team_challenge(people.animator, organisation=people.organisation, metric="practices_shared")
    assert points(shared) == {"Archives": 0, "État civil": 0, "Zèbres": 4}


def test_only_events_inside_the_period_count_in_the_platform_time_zone(people):
    # March 2026 in Paris: from 1 March 00:00 (UTC+1) to 31 March 23:59:59 (UTC+2, after the change of hour).
    challenge = team_challenge(people.network_admin, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31))
    moments = {
        datetime(2026, 2, 28, 22, 59, 59, tzinfo=UTC): False,
        datetime(2026, 2, 28, 23, 0, tzinfo=UTC): True,
        datetime(2026, 3, 31, 21, 59, 59, tzinfo=UTC): True,
        datetime(2026, 3, 31, 22, 0, tzinfo=UTC): False,
    }
    for number, moment in enumerate(moments):
        question = ask(people.owner, title=f"Comment fais-tu pour la question {number} ?")
        log(people.outsider, "question.answered", question, moment, team=people.other_team)
    board = challenges.leaderboard(challenge)
    assert board.standing_of(people.other_team.pk).actions == sum(moments.values())
    assert board.standing_of(people.other_team.pk).points == 8


def test_repeats_are_counted_within_the_period(people):
    question = ask(people.owner)
    challenge = team_challenge(people.network_admin, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31))
    log(people.outsider, "question.answered", question, datetime(2026, 2, 20, 10, tzinfo=UTC), team=people.other_team)
    log(people.outsider, "question.answered", question, datetime(2026, 3, 10, 10, tzinfo=UTC), team=people.other_team)
    assert challenges.leaderboard(challenge).standing_of(people.other_team.pk).points == 4


def test_an_organisation_challenge_ranks_its_teams_and_counts_their_answers_anywhere(people, greeter):
    across = ask(people.outsider, title="Comment fais-tu pour accueillir un stagiaire ?")
    question_services.answer_question(greeter, across, ANSWER)  # to another organisation: it counts
    question_services.answer_question(people.outsider, ask(people.owner), ANSWER)  # another organisation's team
    local = team_challenge(people.animator, organisation=people.organisation)
    assert points(local) == {"Accueil": 4, "État civil": 0}
    network = team_challenge(people.network_admin)
    assert points(network) == {"Accueil": 4, "Agence centre": 4, "État civil": 0}


def test_teams_without_points_are_listed_and_ties_share_a_rank(people):
    teams = {name: TeamFactory(organisation=people.organisation, name=name) for name in ("Bravo", "alpha", "Delta")}
    gamma = MemberFactory(organisation=people.organisation, teams=[people.team])
    at = timezone.now() - timedelta(days=1)
    for number in range(2):
        question = ask(people.outsider, title=f"Comment fais-tu pour le dossier {number} ?")
        log(gamma, "question.answered", question, at, team=people.team)
    question = ask(people.outsider, title="Comment fais-tu pour le dossier commun ?")
    log(gamma, "question.answered", question, at, team=teams["Bravo"])
    log(gamma, "question.answered", ask(people.outsider, title="Et le dernier ?"), at, team=teams["alpha"])
    board = challenges.leaderboard(team_challenge(people.animator, organisation=people.organisation))
    rows = [(s.rank, s.tied, s.team.name, s.points) for s in board.standings]
    assert rows == [
        (1, False, "État civil", 8),
        (2, True, "alpha", 4),
        (2, True, "Bravo", 4),
        (4, False, "Delta", 0),
    ]


def test_events_without_an_actor_or_of_another_kind_give_nothing(people):
    question = ask(people.owner)
    at = timezone.now() - timedelta(days=1)
    log(None, "question.answered", question, at, team=people.other_team)
    log(people.outsider, "question.answer_voted", question, at, team=people.other_team)
    log(people.outsider, "question.answered", question, at, team=people.other_team, object_type="practices.practice")
    log(people.outsider, "practice.reacted", question, at, team=people.other_team)
    assert points(team_challenge(people.network_admin)) == {"Agence centre": 0, "État civil": 0}


def test_a_leaderboard_costs_the_same_queries_whatever_the_activity(people):
    challenge = team_challenge(people.network_admin)
    question = ask(people.owner)
    at = timezone.now() - timedelta(days=1)
    log(people.outsider, "question.answered", question, at, team=people.other_team)
    with CaptureQueriesContext(connection) as few:
        challenges.leaderboard(challenge)
    for number in range(40):
        member = MemberFactory(
            organisation=people.other_organisation, teams=[TeamFactory(organisation=people.other_organisation)]
        )
        log(member, "question.answered", question, at + timedelta(minutes=number))
        log(member, "question.answered", question, at + timedelta(minutes=number, seconds=1))
    with CaptureQueriesContext(connection) as many:
        board = challenges.leaderboard(challenge)
    assert len(many) == len(few) <= 3
    assert sum(standing.points for standing in board.standings) == 4 + 40 * (4 + 2)
