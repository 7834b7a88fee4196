"""The search page: practices and questions in one ranked list, with a filter on the type."""

import re

import pytest

from apprenance.questions import finding, services
from apprenance.questions.finding import PRACTICE, QUESTION, interleave
from tests.practices.factories import practice
from tests.questions.factories import ask

pytestmark = pytest.mark.django_db

SEARCH = "/recherche/"


def result_titles(html: str) -> list[tuple[str, str]]:
    """(type shown, title) of each result, in order, marks taken out."""
    found = re.findall(r'<h2><span class="badge badge-\w+">(\w+)</span> <a href="[^"]+">(.*?)</a></h2>', html)
    return [(kind, re.sub(r"</?mark>", "", title)) for kind, title in found]


@pytest.fixture
def meetings(people):
    """Two practices and two questions about meetings, one of each about something else."""
    return {
        "standing": practice(people.owner, title="La réunion d’équipe debout en quinze minutes"),
        "agenda": practice(
            people.outsider, title="Un ordre du jour envoyé la veille de chaque réunion", team=people.other_team
        ),
        "welcome": practice(people.owner, title="Un café d’accueil pour chaque nouvel arrivant"),
        "shorter": ask(people.owner, title="Comment rendre nos réunions de service plus courtes ?"),
        "remote": ask(people.outsider, title="Comment animer une réunion à distance sans perdre les gens ?"),
        "interns": ask(people.owner, title="Comment accueillir un stagiaire pendant l’été ?"),
    }


def test_both_types_come_in_one_list_each_labelled_best_of_each_first(meetings, people, signed_in):
    html = signed_in(people.colleague).get(SEARCH, {"q": "réunion"}).content.decode()
    shown = result_titles(html)
    # Those about meetings come first; the others, close in meaning only, after them.
    assert sorted(shown[:4]) == sorted(
        [
            ("Pratique", meetings["standing"].title),
            ("Pratique", meetings["agenda"].title),
            ("Question", meetings["shorter"].title),
            ("Question", meetings["remote"].title),
        ]
    )
    # One of each in turn while both types have results, then the rest of the longer list.
    kinds = [kind for kind, _title in shown]
    paired = 2 * min(kinds.count("Pratique"), kinds.count("Question"))
    assert kinds[:paired] == ["Pratique", "Question"] * (paired // 2)
    assert len(set(kinds[paired:])) <= 1
    assert f"{len(shown)} résultats" in html
    assert "<mark>réunion</mark>" in html


def test_the_type_filter_keeps_one_type_in_the_same_order(meetings, people, signed_in):
    client = signed_in(people.colleague)
    everything = result_titles(client.get(SEARCH, {"q": "réunion"}).content.decode())
    practices = client.get(SEARCH, {"q": "réunion", "type": "pratiques"}).content.decode()
    questions = client.get(SEARCH, {"q": "réunion", "type": "questions"}).content.decode()
    assert result_titles(practices) == [hit for hit in everything if hit[0] == "Pratique"]
    assert result_titles(questions) == [hit for hit in everything if hit[0] == "Question"]
    assert ("Question", meetings["shorter"].title) in result_titles(questions)
    # Each says how many of the other type there are.
    counts = f"pratiques : {len(result_titles(practices))}, questions : {len(result_titles(questions))}"
    assert counts in practices
    assert counts in questions
    # The filter is a group of radio buttons, the chosen one checked: it works without JavaScript.
    assert 'type="radio" name="type" id="type-questions" value="questions" checked' in questions
    assert 'id="type-tout" value="tout" checked' not in questions


def test_a_type_with_nothing_points_to_the_other(people, signed_in):
    ask(people.owner, title="Comment répartir les astreintes du week-end ?")
    html = signed_in(people.colleague).get(SEARCH, {"q": "astreintes", "type": "pratiques"}).content.decode()
    assert "Aucune pratique ne parle de « astreintes » pour le moment." in html
    assert 'href="?q=astreintes&amp;type=questions">Voir la question qui en parle</a>' in html


def test_an_unknown_type_is_reported_and_everything_is_shown(meetings, people, signed_in):
    html = signed_in(people.colleague).get(SEARCH, {"q": "réunion", "type": "partout"}).content.decode()
    assert "Ce type de résultat n’existe pas : tout est affiché." in html
    assert {kind for kind, _title in result_titles(html)} == {"Pratique", "Question"}
    assert 'id="type-tout" value="tout" checked' in html


def test_a_member_never_sees_what_they_cannot_open(people, signed_in):
    practice(people.owner, title="Réunion interne de l’état civil", visibility="organisation")
    practice(people.owner, title="Réunion en brouillon", publish=False)
    ask(people.owner, title="Comment préparer la réunion interne du service ?", visibility="organisation")
    ask(people.outsider, title="Comment tenir une réunion ouverte à tous ?")
    outsider = result_titles(signed_in(people.outsider).get(SEARCH, {"q": "réunion"}).content.decode())
    assert outsider == [("Question", "Comment tenir une réunion ouverte à tous ?")]
    colleague = result_titles(signed_in(people.colleague).get(SEARCH, {"q": "réunion"}).content.decode())
    assert ("Pratique", "Réunion interne de l’état civil") in colleague
    assert ("Question", "Comment préparer la réunion interne du service ?") in colleague
    assert ("Pratique", "Réunion en brouillon") not in colleague  # drafts are not in lists
    # Every result shown can be opened by the one who sees it.
    client = signed_in(people.outsider)
    html = client.get(SEARCH, {"q": "réunion"}).content.decode()
    for link in re.findall(r'<h2><span class="badge[^>]+>\w+</span> <a href="([^"]+)">', html):
        assert client.get(link).status_code == 200


def test_results_are_paginated_without_repeats(people, signed_in, settings):
    settings.PAGE_SIZE = 4
    for number in range(3):
        practice(people.owner, title=f"Une réunion de chantier numéro {number}")
        ask(people.owner, title=f"Comment organiser la réunion de chantier numéro {number} ?")
    client = signed_in(people.colleague)
    first = client.get(SEARCH, {"q": "réunion chantier"}).content.decode()
    second = client.get(SEARCH, {"q": "réunion chantier", "page": 2}).content.decode()
    assert "6 résultats" in first
    assert len(result_titles(first)) == 4
    assert len(result_titles(second)) == 2
    assert len(set(result_titles(first)) | set(result_titles(second))) == 6
    assert "Page 1 sur 2" in first
    assert 'href="?q=r%C3%A9union+chantier&amp;page=2" rel="next"' in first
    # A page number out of range or garbled leads to a real page, never an error.
    assert result_titles(client.get(SEARCH, {"q": "réunion chantier", "page": 99}).content.decode()) == result_titles(
        second
    )
    assert result_titles(client.get(SEARCH, {"q": "réunion chantier", "page": "x"}).content.decode()) == result_titles(
        first
    )


def test_an_empty_query_asks_for_words_rather_than_listing_nothing(people, signed_in):
    practice(people.owner, title="La réunion d’équipe debout")
    client = signed_in(people.colleague)
    for params in ({}, {"q": ""}, {"q": "   ", "type": "questions"}):
        html = client.get(SEARCH, params).content.decode()
        assert "Tapez quelques mots pour chercher parmi les pratiques et les questions du réseau." in html
        assert result_titles(html) == []
    stop_words = client.get(SEARCH, {"q": "le la les ?"}).content.decode()
    assert "« le la les ? » ne contient aucun mot à chercher." in stop_words


def test_a_too_long_query_gets_a_message_and_no_error(people, signed_in):
    response = signed_in(people.colleague).get(SEARCH, {"q": "réunion " * 40})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Votre recherche est trop longue : 200 caractères au plus." in html
    assert "Tapez quelques mots" in html


def test_nothing_found_says_so_and_offers_to_ask_or_share(people, signed_in):
    html = signed_in(people.colleague).get(SEARCH, {"q": "apiculture"}).content.decode()
    assert "0 résultat" in html
    assert "Ni pratique ni question ne parle de « apiculture » pour le moment." in html
    assert 'href="/questions/poser/"' in html
    assert 'href="/pratiques/nouvelle/"' in html


def test_htmx_gets_only_the_results(meetings, people, signed_in):
    response = signed_in(people.colleague).get(SEARCH, {"q": "réunion", "type": "questions"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<section id="results"')
    assert ("Question", meetings["shorter"].title) in result_titles(html)
    assert {kind for kind, _title in result_titles(html)} == {"Question"}


def test_the_header_search_box_leads_to_the_search_page(people, signed_in):
    html = signed_in(people.colleague).get("/").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert 'action="/recherche/"' in header
    label = "Rechercher parmi les pratiques et les questions"
    assert f'<label for="site-search" class="visually-hidden">{label}</label>' in header


def test_an_answered_question_shows_its_state_and_an_extract(people, signed_in):
    question = ask(
        people.owner, title="Comment rendre nos réunions plus courtes ?", details="Elles durent **deux heures**."
    )
    services.accept_answer(people.owner, services.answer_question(people.outsider, question, "Un minuteur."))
    html = signed_in(people.colleague).get(SEARCH, {"q": "réunions"}).content.decode()
    assert "Réponse retenue" in html
    assert "1 réponse" in html
    assert "<p>Elles durent deux heures" in html  # the details as plain text


def test_the_page_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for number in range(10):
        practice(people.owner, title=f"Une réunion de chantier numéro {number}")
        ask(people.owner, title=f"Comment organiser la réunion de chantier numéro {number} ?")
    client = signed_in(people.colleague)
    client.get(SEARCH, {"q": "réunion"})  # sessions, caches and translations warmed up
    with django_assert_max_num_queries(30):
        response = client.get(SEARCH, {"q": "chantier"})
    assert len(result_titles(response.content.decode())) == 20


def test_interleaving_alternates_then_lets_the_longer_list_go_on():
    assert interleave([1, 2, 3], [10]) == [(PRACTICE, 1), (QUESTION, 10), (PRACTICE, 2), (PRACTICE, 3)]
    assert interleave([], [10, 11]) == [(QUESTION, 10), (QUESTION, 11)]


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("Comment faire : collègues qui ne se parlent plus ?", "collègues qui ne se parlent plus"),
        ("Comment fais-tu pour motiver ton équipe?", "motiver équipe"),
        ("Des idées pour « le point du lundi » ?", "le point du lundi"),
        ("Comment préparer l’entretien annuel (N+1) ?", "préparer l’entretien annuel (N+1)"),
        ("Comment… ?", ""),
    ],
)
def test_a_question_is_searched_for_what_it_is_about_without_asking_words_or_punctuation(title, topic):
    assert finding.topic_of(title) == topic
