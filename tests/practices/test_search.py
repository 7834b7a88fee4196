"""French full-text search, through the API the pages share; run on SQLite and on PostgreSQL."""

import pytest

from tests.practices.factories import practice

pytestmark = pytest.mark.django_db


def titles(client, query, **params):
    body = client.get("/api/v1/practices/", {"q": query, **params}).json()
    return [item["title"] for item in body["items"]]


@pytest.fixture
def corpus(people):
    owner = people.owner
    return {
        "ritual": practice(
            owner,
            title="Nos rituels d’équipe du lundi",
            context="Chaque semaine commençait dans le flou.",
            what_we_did="Un point de dix minutes où chacun partage sa priorité.",
        ),
        "meetings": practice(
            owner,
            title="Raccourcir les réunions de service",
            context="Les réunions duraient deux heures et fatiguaient tout le monde.",
            what_we_did="Un ordre du jour envoyé la veille et un minuteur visible.",
        ),
        "onboarding": practice(
            owner,
            title="Un parrain pour chaque nouvel agent",
            context="Les arrivants se sentaient perdus pendant des semaines.",
            what_we_did="Nous avons désigné un parrain qui accueille et présente l’équipe.",
        ),
        "body_only": practice(
            owner,
            title="Un tableau partagé des congés",
            context="Les plannings se chevauchaient.",
            what_we_did="Après chaque réunion, on met le tableau à jour ensemble.",
        ),
    }


def test_accents_are_ignored_on_both_sides(corpus, people, signed_in):
    client = signed_in(people.colleague)
    assert titles(client, "reunions")[0] == "Raccourcir les réunions de service"
    assert titles(client, "RÉUNIONS")[0] == "Raccourcir les réunions de service"


def test_singular_finds_plural_and_elision_is_ignored(corpus, people, signed_in):
    client = signed_in(people.colleague)
    assert titles(client, "rituel d'équipe")[0] == "Nos rituels d’équipe du lundi"
    assert "Raccourcir les réunions de service" in titles(client, "réunion")


def test_conjugated_verbs_find_their_infinitive(corpus, people, signed_in):
    client = signed_in(people.colleague)
    assert titles(client, "raccourcissons")[0] == "Raccourcir les réunions de service"
    assert titles(client, "désigner un parrain")[0] == "Un parrain pour chaque nouvel agent"


def test_a_title_match_ranks_above_a_body_match(corpus, people, signed_in):
    found = titles(signed_in(people.colleague), "réunion")
    assert found.index("Raccourcir les réunions de service") < found.index("Un tableau partagé des congés")


def test_stop_words_or_odd_characters_give_a_helpful_empty_state(corpus, people, signed_in):
    client = signed_in(people.colleague)
    for query in ["le la les de", "%%% ***", "\"'(", "*", "l’ d’ qu’"]:
        response = client.get("/api/v1/practices/", {"q": query})
        assert response.status_code == 200
        assert response.json()["count"] == 0
        page = client.get("/pratiques/", {"q": query})
        assert page.status_code == 200
        assert "ne contient aucun mot à chercher" in page.content.decode()


def test_fts_syntax_in_a_query_is_treated_as_words(corpus, people, signed_in):
    client = signed_in(people.colleague)
    response = client.get("/pratiques/", {"q": "NEAR(OR AND NOT)"})
    assert response.status_code == 200
    assert "Aucune pratique ne parle de" in response.content.decode()
    assert "Raccourcir les réunions de service" in titles(client, 'réunions" OR title:*')


def test_matched_words_are_highlighted_as_written(corpus, people, signed_in):
    client = signed_in(people.colleague)
    html = client.get("/pratiques/", {"q": "reunion"}).content.decode()
    assert "<mark>réunions</mark>" in html
    snippet = client.get("/api/v1/practices/", {"q": "parrain"}).json()["items"][0]["snippet"]
    assert "parrain" in snippet


def test_a_paraphrase_finds_the_practice_by_meaning(corpus, people, signed_in):
    found = titles(signed_in(people.colleague), "accueillir les nouveaux collègues")
    assert found[0] == "Un parrain pour chaque nouvel agent"


@pytest.mark.parametrize(
    "asked",
    [
        "Accueillir les nouveaux collègues",
        "accueillir les nouveaux collègues ?",
        "Comment accueillir les nouveaux collègues ?",
        "Des idées pour accueillir les nouveaux collègues",
    ],
)
def test_a_search_typed_as_a_question_or_a_sentence_ranks_as_its_words(corpus, people, signed_in, asked):
    client = signed_in(people.colleague)
    assert titles(client, asked) == titles(client, "accueillir les nouveaux collègues")


def test_an_edit_is_searchable_at_once(corpus, people, signed_in):
    from apprenance.practices import services

    data = {"title": "Des réunions debout", "context": "x", "what_we_did": "y", "results": "z"}
    services.update_practice(people.owner, corpus["meetings"], data)
    client = signed_in(people.colleague)
    assert titles(client, "debout")[0] == "Des réunions debout"
    assert "Raccourcir les réunions de service" not in titles(client, "raccourcir")


def test_a_synonym_from_the_thesaurus_finds_the_practice(people, signed_in):
    from apprenance.core.analysis import stem
    from apprenance.core.ranking import expand

    assert stem("recruter") in expand("embaucher")[stem("embaucher")]
    practice(
        people.owner,
        title="Recruter sans se tromper",
        context="Nos recrutements échouaient souvent.",
        what_we_did="Une grille commune et deux entretiens croisés.",
    )
    practice(people.owner, title="Un tableau partagé des congés", context="Les plannings se chevauchaient.")
    assert titles(signed_in(people.colleague), "embaucher")[0] == "Recruter sans se tromper"


def test_search_still_answers_without_the_thesaurus(corpus, people, signed_in, settings, tmp_path):
    from apprenance.core import ranking, thesaurus

    settings.THESAURUS_PATH = str(tmp_path / "absent.dat")
    thesaurus.synonyms_by_stem.cache_clear()
    ranking.word_synonyms.cache_clear()
    try:
        assert titles(signed_in(people.colleague), "reunions")[0] == "Raccourcir les réunions de service"
    finally:
        thesaurus.synonyms_by_stem.cache_clear()
        ranking.word_synonyms.cache_clear()


def test_a_search_met_again_sees_the_practices_written_since(corpus, people, signed_in):
    client = signed_in(people.colleague)
    assert titles(client, "gratitude") == titles(client, "gratitude")
    assert "Un mur de la gratitude" not in titles(client, "gratitude")
    practice(people.owner, title="Un mur de la gratitude", context="On s’y dit merci.")
    assert titles(client, "gratitude")[0] == "Un mur de la gratitude"
