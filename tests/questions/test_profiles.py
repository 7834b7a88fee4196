"""Expert profiles: what each member wrote, kept up to date by every write, rebuilt alike in bulk,
and read by routing to find who wrote most on a question's topic."""

import copy
import io

import numpy as np
import pytest
from django.core.management import call_command

from apprenance.core import ranking, search, semantic
from apprenance.core.analysis import query_stems
from apprenance.core.generations import current
from apprenance.core.models import Tag
from apprenance.core.schedule import PERIODIC_JOBS
from apprenance.people.network import import_network
from apprenance.practices import services as practice_services
from apprenance.practices.models import Practice
from apprenance.questions import profiles, routing, services
from apprenance.questions.models import Answer, ExpertProfile, Question
from apprenance.questions.routing import reason_text
from apprenance.questions.tasks import rebuild_expert_profiles
from apprenance.skills.models import MemberSkill, Skill
from tests.people.factories import MemberFactory
from tests.practices.factories import practice
from tests.questions.factories import THEMES, ask, write_on
from tests.questions.test_network_import import NETWORK

pytestmark = pytest.mark.django_db

EXTRA_INTERVIEW = (
    "Des entretiens annuels préparés à deux",
    "L’entretien annuel était redouté des deux côtés.",
    "L’agent et moi remplissons la grille chacun de notre côté, puis nous comparons.",
)


def profile_of(member):
    """(texts, meaning, {stem: count}) of a member's profile, or None without one."""
    row = ExpertProfile.objects.filter(member=member).first()
    counts = search.term_counts(profiles.PROFILE_INDEX, [member.pk], vocabulary()).get(member.pk)
    if row is None:
        assert counts is None  # no document left behind either
        return None
    return row.text_count, bytes(row.embedding), counts


def vocabulary() -> list[str]:
    """Every stem a profile could hold: those of every practice, answer, question, label."""
    texts = [
        *Practice.objects.values_list("title", flat=True),
        *Tag.objects.values_list("name", flat=True),
        *Skill.objects.values_list("name", flat=True),
        *Question.objects.values_list("title", flat=True),
        *Answer.objects.values_list("body", flat=True),
    ]
    return query_stems(" ".join(texts))


def found_for(words: list[str]) -> list[int]:
    return list(search.most_frequent(profiles.PROFILE_INDEX, words, limit=50))


def write(author, title, context, what_we_did, **fields):
    return practice(author, title=title, context=context, what_we_did=what_we_did, **fields)


def test_a_member_with_several_practices_on_the_topic_outranks_authors_of_one(people):
    expert = MemberFactory(organisation=people.other_organisation)
    write_on(expert, "entretien")
    write(expert, *EXTRA_INTERVIEW)
    # The practices search's first results are all other authors' practices, each the one its
    # author wrote on the topic, newer than the expert's and worded as their best one.
    crowd = [MemberFactory(organisation=people.other_organisation) for _ in range(routing.PRACTICE_CANDIDATES + 5)]
    for member in crowd:
        write_on(member, "entretien", count=1)

    ranking = routing.rank_experts(ask(people.owner))

    assert ranking[0].member == expert
    texts = [reason_text(reason) for reason in ranking[0].reasons]
    assert any(text.startswith("a partagé 4 pratiques") for text in texts), texts
    assert {s.member for s in ranking[1:]} <= set(crowd)


def test_publishing_archiving_and_deleting_a_practice_refresh_its_authors_profile(people):
    author = people.outsider
    draft = write(author, *THEMES["entretien"][0], publish=False)
    assert profile_of(author) is None  # drafts are nobody's expertise yet

    practice_services.update_practice(author, draft, {}, publish=True)
    texts, meaning, counts = profile_of(author)
    assert texts == 1
    assert counts == {"prepar": 1, "entretien": 1, "annuel": 1, "grill": 1, "partage": 1}
    assert author.pk in found_for(["entretien"])

    other = write(author, *THEMES["accueil"][0])
    assert profile_of(author)[0] == 2
    assert profile_of(author)[1] != meaning  # the mean meaning moved

    practice_services.set_status(author, draft, "archived")
    texts, _meaning, counts = profile_of(author)
    assert texts == 1
    assert "entretien" not in counts
    assert author.pk not in found_for(["entretien"])
    assert author.pk in found_for(["accueil"])

    practice_services.set_status(author, draft, "published")
    assert profile_of(author)[0] == 2

    practice_services.delete_practice(author, other)
    assert author.pk not in found_for(["accueil"])
    practice_services.delete_practice(author, draft)
    assert not ExpertProfile.objects.filter(member=author).exists()
    assert author.pk not in found_for(["entretien"])


def test_the_profile_is_the_normalised_mean_of_what_the_network_may_read(people):
    author = people.outsider
    shared = write_on(author, "entretien", count=2)
    write(author, *THEMES["accueil"][0], visibility="organisation")  # kept inside the organisation

    texts, meaning, counts = profile_of(author)

    assert texts == 2
    assert counts["entretien"] == 2  # both titles
    assert "accueil" not in counts
    stored = semantic.decode_many([bytes(p.embedding) for p in Practice.objects.filter(pk__in=[p.pk for p in shared])])
    expected = stored.mean(axis=0) / np.linalg.norm(stored.mean(axis=0))
    assert np.allclose(semantic.decode_many([meaning])[0], expected, atol=0.01)


def test_an_answer_enters_its_authors_profile_once_accepted_or_upvoted_and_leaves_it_after(people):
    helper = MemberFactory(organisation=people.other_organisation)
    question = ask(people.colleague, title="Comment organiser les entretiens annuels de fin d’année ?")
    answer = services.answer_question(helper, question, "Je bloque une demi-journée par agent et j’envoie la grille.")
    assert profile_of(helper) is None  # a plain answer proves nothing yet

    services.toggle_vote(people.owner, answer)
    texts, _meaning, counts = profile_of(helper)
    assert texts == 1
    assert {"organis": 1, "entretien": 1, "annuel": 1, "grill": 1}.items() <= counts.items()
    services.toggle_vote(people.owner, answer)
    assert profile_of(helper) is None

    services.accept_answer(people.colleague, answer)
    assert profile_of(helper)[0] == 1
    # Another answer accepted instead takes the first one out.
    rival = services.answer_question(
        people.outsider, question, "Une grille envoyée une semaine avant chaque entretien."
    )
    services.accept_answer(people.colleague, rival)
    assert profile_of(helper) is None
    assert profile_of(people.outsider)[0] == 1


def test_rebuilding_every_profile_gives_what_the_refreshes_left(people):
    write_on(people.outsider, "entretien")
    write_on(people.colleague, "reunion")
    write(people.colleague, *THEMES["accueil"][0], tags=["accueil", "parrainage"])
    question = ask(people.owner, title="Comment organiser les entretiens annuels de fin d’année ?")
    answer = services.answer_question(people.other_admin, question, "Une grille partagée, envoyée une semaine avant.")
    services.accept_answer(people.owner, answer)
    members = [people.outsider, people.colleague, people.other_admin]
    refreshed = {member.pk: profile_of(member) for member in members}
    assert all(refreshed.values())

    ExpertProfile.objects.all().delete()
    search.uncount(profiles.PROFILE_INDEX, [member.pk for member in members])
    assert not any(profile_of(member) for member in members)
    assert profiles.refresh_profiles() == 3

    assert {member.pk: profile_of(member) for member in members} == refreshed
    assert refreshed[people.colleague.pk][2]["parrainag"] == 1  # a tag


def test_the_rebuild_catches_skills_declared_outside_the_services(people):
    skill = Skill.objects.named(["Conduite d’entretien"])[0]
    MemberSkill.objects.create(member=people.outsider, skill=skill)
    assert profile_of(people.outsider) is None

    output = io.StringIO()
    call_command("rebuild_expert_profiles", stdout=output)

    assert output.getvalue().startswith("1 profiles rebuilt")

    texts, meaning, counts = profile_of(people.outsider)
    assert (texts, meaning) == (0, b"")
    assert counts == {"conduit": 1, "entretien": 1}


def test_the_nightly_job_rebuilds_every_profile(people):
    write_on(people.outsider, "entretien", count=1)
    ExpertProfile.objects.all().delete()

    assert PERIODIC_JOBS["questions.rebuild_expert_profiles"].task == rebuild_expert_profiles
    assert rebuild_expert_profiles.call(slot="2026-12-03T02:15:00+00:00") == 1
    assert profile_of(people.outsider)[0] == 1


def test_a_network_import_builds_its_authors_profiles():
    data = copy.deepcopy(NETWORK)
    data["practices"] = [
        {
            "ref": "p1",
            "title": "Un café d’accueil pour chaque stagiaire",
            "kind": "ritual",
            "context": "Les stagiaires restaient seuls.",
            "what_we_did": "Un café le premier matin avec l’équipe.",
            "results": "Ils osent poser des questions.",
            "author": "ana@mairie.example",
            "visibility": "network",
            "status": "published",
        }
    ]
    import_network(data)

    assert ExpertProfile.objects.get(member__email="ana@mairie.example").text_count == 1
    assert ExpertProfile.objects.get(member__email="bo@banque.example").text_count == 1  # the accepted answer
    assert not ExpertProfile.objects.filter(member__email="cy@banque.example").exists()  # answered, never upvoted


def test_routings_copy_of_the_meanings_reads_only_the_profiles_changed_since(people, django_assert_num_queries):
    write_on(people.outsider, "entretien", count=1)
    ranking.meaning_matrix(profiles.PROFILES, current(profiles.PROFILES_GENERATION))
    write_on(people.outsider, "accueil")
    write_on(people.other_admin, "reunion")

    generation = current(profiles.PROFILES_GENERATION)
    with django_assert_num_queries(1):  # the profiles written since, nothing else
        patched = ranking.meaning_matrix(profiles.PROFILES, generation)
    ranking._matrices.clear()
    reloaded = ranking.meaning_matrix(profiles.PROFILES, generation)

    assert sorted(patched.ids.tolist()) == sorted(reloaded.ids.tolist()) == [people.outsider.pk, people.other_admin.pk]
    order = np.argsort(patched.ids)
    assert np.array_equal(patched.vectors[order], reloaded.vectors[np.argsort(reloaded.ids)])


def test_editing_and_deleting_answers_and_questions_refresh_the_answerers_profiles(people):
    helper = MemberFactory(organisation=people.other_organisation)
    question = ask(people.colleague, title="Comment organiser les entretiens annuels de fin d’année ?")
    answer = services.answer_question(helper, question, "Je bloque une demi-journée par agent.")
    services.accept_answer(people.colleague, answer)
    assert "grill" not in profile_of(helper)[2]
    services.edit_answer(helper, answer, "Je bloque une demi-journée et j’envoie la grille avant.")
    assert profile_of(helper)[2]["grill"] == 1
    services.edit_question(
        people.colleague,
        question,
        {"title": "Comment préparer les entretiens de fin d’année ?", "details": "", "visibility": "network"},
    )
    assert profile_of(helper)[2]["prepar"] == 1  # the answer is read under its question's new title
    services.delete_answer(people.colleague, answer)
    assert profile_of(helper) is None
    again = services.answer_question(helper, question, "Une grille commune à toute l’équipe.")
    services.accept_answer(people.colleague, again)
    assert profile_of(helper) is not None
    services.delete_question(people.colleague, question)
    assert profile_of(helper) is None


def test_declaring_and_removing_a_skill_refresh_the_profile_at_once(people):
    from apprenance.skills import services as skill_services

    declared = skill_services.declare_skill(
        people.outsider, "Conduire un entretien annuel", level="expert", can_teach=True
    )
    assert profile_of(people.outsider)[2]["entretien"] == 1
    skill_services.remove_declared_skill(people.outsider, declared)
    assert profile_of(people.outsider) is None
