"""Routing a question to the people who know: who is suggested, in which order, and why."""

import pytest

from apprenance.practices.models import Practice
from apprenance.questions import routing, services
from apprenance.questions.models import Solicitation
from apprenance.questions.routing import reason_text
from apprenance.skills.models import MemberSkill, Skill
from tests.people.factories import MemberFactory, TeamFactory
from tests.questions.factories import ask, write_on

pytestmark = pytest.mark.django_db


def suggested(question):
    return [s.member for s in routing.rank_experts(question)]


def test_a_member_who_wrote_several_practices_on_the_topic_ranks_first(people):
    write_on(people.outsider, "entretien")
    write_on(people.colleague, "entretien", count=1)
    write_on(people.other_admin, "accueil")
    question = ask(people.owner)
    ranking = suggested(question)
    assert ranking[:2] == [people.outsider, people.colleague]
    assert people.other_admin not in ranking  # wrote only on another topic


def test_the_ranking_never_holds_the_asker_paused_members_or_members_who_cannot_see_the_question(people):
    write_on(people.owner, "entretien")
    write_on(people.animator, "entretien")
    write_on(people.outsider, "entretien")
    services.set_paused(people.animator, True)
    network_question = ask(people.owner)
    ranking = suggested(network_question)
    assert people.owner not in ranking
    assert people.animator not in ranking
    assert people.outsider in ranking
    # An organisation-only question stays inside its organisation.
    private = ask(people.owner, title="Comment mener un entretien annuel en équipe ?", visibility="organisation")
    assert people.outsider not in suggested(private)
    services.set_paused(people.animator, False)
    assert people.animator in suggested(private)


def test_the_reasons_are_true(people):
    write_on(people.outsider, "entretien", tags=["entretien annuel"])
    question = ask(people.owner)
    suggestion = routing.rank_experts(question)[0]
    assert suggestion.member == people.outsider
    texts = [reason_text(reason) for reason in suggestion.reasons]
    assert "a partagé 3 pratiques sur « entretien annuel »" in texts
    assert "dans une autre organisation (Banque d’Arnelle)" in texts
    assert not any("compétence" in text for text in texts)  # declares none


def test_a_declared_skill_brings_a_member_and_is_named(people):
    skill = Skill.objects.named(["Conduite d’entretien"])[0]
    newcomer = MemberFactory(organisation=people.other_organisation)
    MemberSkill.objects.create(member=newcomer, skill=skill, can_teach=True)
    question = ask(people.owner, skills="Conduite d’entretien")
    suggestion = next(s for s in routing.rank_experts(question) if s.member == newcomer)
    texts = [reason_text(reason) for reason in suggestion.reasons]
    assert "déclare la compétence « Conduite d’entretien » et peut la transmettre" in texts
    assert not any("pratique" in text for text in texts)  # shared none


def test_people_outside_the_asker_team_are_preferred_at_equal_expertise(people):
    same_team = people.colleague
    other_team = MemberFactory(organisation=people.organisation, teams=[TeamFactory(organisation=people.organisation)])
    write_on(same_team, "entretien", count=1)
    write_on(other_team, "entretien", count=1)
    ranking = routing.rank_experts(ask(people.owner, title="Comment préparer l’entretien annuel avec une grille ?"))
    by_member = {s.member: s for s in ranking}
    assert by_member[other_team].score > by_member[same_team].score
    assert {"code": "other_team"} in by_member[other_team].reasons
    assert {"code": "other_team"} not in by_member[same_team].reasons


def test_declining_lowers_a_member_in_later_rankings(people):
    write_on(people.outsider, "entretien", count=2)
    write_on(people.other_admin, "entretien", count=2)
    first = ask(people.owner)
    before = {s.member: s.score for s in routing.rank_experts(first)}
    services.decline(people.outsider, first)
    assert Solicitation.objects.get(question=first, expert=people.outsider).declined_at is not None
    after = {s.member: s.score for s in routing.rank_experts(ask(people.owner))}
    assert after[people.outsider] < before[people.outsider]
    assert after[people.other_admin] == pytest.approx(before[people.other_admin], abs=0.01)


def test_an_accepted_answer_makes_its_author_an_expert_of_the_topic(people):
    helper = MemberFactory(organisation=people.other_organisation)
    earlier = ask(people.colleague, title="Comment organiser les entretiens annuels de fin d’année ?")
    answer = services.answer_question(
        helper, earlier, "Je bloque une demi-journée par agent et j’envoie la grille d’entretien une semaine avant."
    )
    services.accept_answer(people.colleague, answer)
    suggestion = next(s for s in routing.rank_experts(ask(people.owner)) if s.member == helper)
    assert {"code": "answers", "count": 1} in suggestion.reasons


def test_asking_stores_the_ranking_as_solicitations(people):
    write_on(people.outsider, "entretien")
    write_on(people.colleague, "entretien", count=1)
    question = ask(people.owner)
    rows = list(question.solicitations.order_by("rank"))
    assert [row.expert for row in rows][:2] == [people.outsider, people.colleague]
    assert [row.rank for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0].score >= rows[1].score


def test_every_reason_names_the_members_own_texts(people):
    write_on(people.outsider, "entretien")
    write_on(people.colleague, "entretien", count=1)
    write_on(people.other_admin, "reunion")
    write_on(people.admin, "accueil")
    for title in (
        "Comment fais-tu pour préparer l’entretien annuel d’un agent ?",
        "Comment raccourcir nos réunions d’équipe du lundi ?",
        "Comment accueillir un nouvel arrivant dans l’équipe ?",
    ):
        for suggestion in routing.rank_experts(ask(people.owner, title=title)):
            own = list(Practice.objects.filter(author=suggestion.member).values_list("title", flat=True))
            for reason in suggestion.reasons:
                if "title" in reason:
                    assert reason["title"] in own
                if reason["code"] == "practices":
                    assert 1 <= reason["count"] <= len(own)
                if reason["code"] == "other_team":
                    assert not set(suggestion.member.teams.all()) & set(people.owner.teams.all())


def test_texts_kept_inside_the_organisation_count_for_its_members_only(people):
    # The colleague's practices on the topic are kept inside the organisation: routing reads
    # them for a member of the organisation, never for others.
    write_on(people.colleague, "accueil", count=1)
    write_on(people.colleague, "entretien", visibility="organisation")
    write_on(people.other_admin, "accueil")
    assert people.colleague in suggested(ask(people.owner))
    assert people.colleague not in suggested(ask(people.outsider))
