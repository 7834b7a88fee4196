"""The lexical baselines the quality benches report, and how the routing benches read their sets."""

import pytest

from bench.routing_quality import dev_routing_set, lexical_route, network_file, score, themes_routing_set
from bench.search_quality.baseline import members_search, practices_search


def practice(ref, title, body, author=None):
    found = {"ref": ref, "title": title, "kind": "practice", "context": body, "what_we_did": "", "results": "",
             "difficulties": "", "tags": [], "skills": []}  # fmt: skip
    return found | ({"author": author} if author else {})


def test_practices_baseline_folds_stems_and_matches_any_word():
    search = practices_search(
        [
            practice("a", "Un café le lundi", "Les réunions d’équipe commencent par un café."),
            practice("b", "Réunions d’équipe courtes", "Quinze minutes debout."),
            practice("c", "Le tableau des congés", "Chacun pose ses dates en janvier."),
        ]
    )
    assert sorted(search("reunion equipe")) == ["a", "b"]  # accents folded, plural stemmed
    assert search("congé") == ["c"]
    assert search("éviter l’épuisement") == []  # no word in common: the baseline cannot answer
    assert search("le la les") == []


def test_members_baseline_reads_each_members_practices_as_one():
    search = members_search(
        {
            "expert@x": ["Le tuilage avant un départ à la retraite", "Transmettre avant la retraite"],
            "other@x": ["Un départ en formation"],
        }
    )
    assert search("départ retraite") == ["expert@x", "other@x"]


DEV = {
    "practices": [practice("d01", "Réunion", "Texte"), practice("d02", "Réunion", "Texte"), practice("d03", "R", "T")],
    "queries": [
        {"id": "q1", "type": "exact", "text": "réunion", "relevant": {"d01": 3, "d03": 2, "d02": 1}},
        {"id": "q2", "type": "paraphrase", "text": "se voir", "relevant": {"d02": 1}},
    ],
}


def test_dev_network_asks_each_query_with_the_authors_of_its_useful_practices():
    routing_set = dev_routing_set(DEV)
    [asked] = routing_set.asked  # q2 has no practice judged 2 or more: no right expert, not asked
    assert asked["title"] == "Comment faire : réunion ?"
    # d01 and d02 are the first theme's member « a », d03 its member « b »; d02 is only related.
    assert asked["right"] == ["auteur00a@eval.example", "auteur00b@eval.example"]


def test_themes_network_asks_its_questions_with_their_details():
    themes = {
        "practices": [
            practice("t01a1", "Les congés d’été", "Un tableau partagé", author="t01a"),
            practice("t01b1", "Planning d’été", "Un tirage au sort", author="t01b"),
        ],
        "questions": [
            {"id": "t01r1", "title": "Comment répartir les congés ?", "details": "Tout le monde veut août.",
             "relevant": {"t01a1": 3, "t01b1": 1}},
        ],
    }  # fmt: skip
    routing_set = themes_routing_set(themes)
    assert routing_set.asked == [
        {"id": "t01r1", "type": "question", "title": "Comment répartir les congés ?",
         "details": "Tout le monde veut août.", "right": ["t01a@eval.example"]},
    ]  # fmt: skip
    network = network_file(routing_set)
    assert {record["author"] for record in network["practices"]} == {"t01a@eval.example", "t01b@eval.example"}
    assert lexical_route(routing_set)(routing_set.asked[0]) == ["t01a@eval.example"]  # « congés » only


def test_score_shares_of_first_right_and_of_the_best_precision_at_3():
    asked = [
        {"id": "1", "type": "a", "title": "", "details": "", "right": ["x", "y"]},
        {"id": "2", "type": "a", "title": "", "details": "", "right": ["z"]},
    ]
    ranked = {"1": ["x", "n", "m"], "2": ["n", "z"]}
    report = score(asked, lambda question: ranked[question["id"]])
    assert report["first_is_right"] == 0.5
    # 1/3 + 1/3 found, of 2/3 + 1/3 possible.
    assert report["precision@3_share"] == pytest.approx(round(2 / 3, 4))
    assert report["by_type"]["a"]["questions"] == 2
