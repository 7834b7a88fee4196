"""The relevance metrics on hand-computed cases, and the integrity of the judged dev set."""

import json
import math
from collections import Counter

import pytest

from bench.search_quality.metrics import ndcg_at_k, reciprocal_rank, summarise
from bench.search_quality.run import PRACTICE_FIELDS, SETS, missed_targets, network_file, score_queries

LOG2_3 = math.log2(3)  # the discount of rank 2


# --- nDCG -----------------------------------------------------------------------------------


def test_ndcg_of_the_ideal_ranking_is_one():
    assert ndcg_at_k(["a", "b", "c"], {"a": 3, "b": 2, "c": 1}) == pytest.approx(1.0)


def test_ndcg_of_the_reversed_ranking():
    # gains 2^g - 1: grade 3 -> 7, grade 2 -> 3, grade 1 -> 1; discounts 1, log2(3), 2
    expected = (1 + 3 / LOG2_3 + 7 / 2) / (7 + 3 / LOG2_3 + 1 / 2)
    assert ndcg_at_k(["c", "b", "a"], {"a": 3, "b": 2, "c": 1}) == pytest.approx(expected)
    assert expected == pytest.approx(0.6806, abs=1e-4)


def test_ndcg_is_zero_when_nothing_relevant_is_in_the_top_k():
    ranking = ["x1", "x2", "x3", "x4", "x5", "a"]
    assert ndcg_at_k(ranking, {"a": 3}, k=5) == 0.0
    assert ndcg_at_k([], {"a": 3}) == 0.0


def test_ndcg_weighs_grades():
    # the related practice first, the exact one second
    expected = (1 + 7 / LOG2_3) / (7 + 1 / LOG2_3)
    assert ndcg_at_k(["b", "a"], {"a": 3, "b": 1}) == pytest.approx(expected)
    assert ndcg_at_k(["a", "x"], {"a": 3}) > ndcg_at_k(["b", "x"], {"a": 1, "b": 2})


def test_ndcg_ideal_counts_the_judged_practices_the_search_missed():
    assert ndcg_at_k(["a", "x"], {"a": 3, "b": 3}) == pytest.approx(7 / (7 + 7 / LOG2_3))


def test_ndcg_ideal_stops_at_k():
    relevant = dict.fromkeys("abcdef", 3)
    assert ndcg_at_k(list("abcde"), relevant, k=5) == pytest.approx(1.0)


def test_ndcg_counts_a_repeated_result_once():
    assert ndcg_at_k(["a", "a"], {"a": 3, "b": 3}) == pytest.approx(7 / (7 + 7 / LOG2_3))


def test_ndcg_without_judgements_is_zero():
    assert ndcg_at_k(["a"], {}) == 0.0


def test_k_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        ndcg_at_k(["a"], {"a": 3}, k=0)
    with pytest.raises(ValueError, match="positive"):
        reciprocal_rank(["a"], {"a": 3}, k=0)


# --- Reciprocal rank ------------------------------------------------------------------------


def test_reciprocal_rank_of_a_first_hit_is_one():
    assert reciprocal_rank(["a", "b"], {"a": 3}) == 1.0


def test_reciprocal_rank_skips_results_that_are_only_related():
    assert reciprocal_rank(["c", "x", "b", "a"], {"a": 3, "b": 2, "c": 1}) == pytest.approx(1 / 3)


def test_reciprocal_rank_is_zero_without_a_useful_result_in_the_top_k():
    assert reciprocal_rank(["c", "x"], {"c": 1}) == 0.0
    assert reciprocal_rank([f"x{i}" for i in range(10)] + ["a"], {"a": 3}, k=10) == 0.0
    assert reciprocal_rank(["x1", "x2", "a"], {"a": 3}, k=2) == 0.0


def test_reciprocal_rank_threshold_can_be_lowered():
    assert reciprocal_rank(["c", "a"], {"a": 3, "c": 1}, min_grade=1) == 1.0


# --- Summary --------------------------------------------------------------------------------


def test_summarise_gives_overall_and_per_type_means():
    results = [
        {"type": "exact", "ndcg@5": 1.0, "rr": 1.0},
        {"type": "exact", "ndcg@5": 0.5, "rr": 0.5},
        {"type": "paraphrase", "ndcg@5": 0.0, "rr": 0.25},
    ]
    summary = summarise(results)
    assert summary["ndcg@5"] == pytest.approx(0.5)
    assert summary["mrr@10"] == pytest.approx(1.75 / 3)
    assert summary["count"] == 3
    assert summary["by_type"] == {
        "exact": {"ndcg@5": pytest.approx(0.75), "mrr@10": pytest.approx(0.75), "count": 2},
        "paraphrase": {"ndcg@5": 0.0, "mrr@10": 0.25, "count": 1},
    }


def test_summarise_of_nothing_is_zero():
    assert summarise([]) == {"ndcg@5": 0.0, "mrr@10": 0.0, "count": 0, "by_type": {}}


# --- Harness pieces that need no database ---------------------------------------------------


def test_score_queries_ranks_with_the_given_search():
    queries = [{"id": "q1", "type": "exact", "text": "réunion", "relevant": {"a": 3}}]
    [result] = score_queries(queries, lambda text: ["x", "a", "b", "c", "d", "e", "f"])
    assert result["rr"] == 0.5
    assert result["top5"] == ["x", "a", "b", "c", "d"]
    assert result["ndcg@5"] == pytest.approx(1 / LOG2_3)


def test_typed_forms_score_the_queries_as_members_also_type_them():
    from bench.search_quality.run import score_typed_forms

    queries = [{"id": "q1", "type": "paraphrase", "text": "souder une équipe", "relevant": {"d1": 3}}]
    seen = []

    def search(text):
        seen.append(text)
        return ["d1"] if text.islower() else ["d2", "d1"]  # a search that reads the capital

    scores = score_typed_forms(queries, search)
    assert seen == ["Souder une équipe ?", "Comment souder une équipe ?"]
    assert scores["capitalised"]["paraphrase_mrr@10"] == pytest.approx(0.5)
    assert scores["asked"]["paraphrase_mrr@10"] == pytest.approx(0.5)


def test_missed_targets():
    good = {"ndcg@5": 0.8, "by_type": {"paraphrase": {"mrr@10": 0.7}}}
    assert missed_targets(good) == []
    bad = {"ndcg@5": 0.7, "by_type": {"paraphrase": {"mrr@10": 0.5}}}
    assert len(missed_targets(bad)) == 2
    assert missed_targets({"ndcg@5": 0.9, "by_type": {}}) == ["no paraphrase query was scored"]


# --- The judged sets: dev_set.json, and themes_set.json (written after the search was tuned) ---

KINDS = {"practice", "ritual", "tip", "experience_report", "tool"}
QUERY_TYPES = {"exact", "inflected", "paraphrase"}
TEXT_FIELDS = ("title", "context", "what_we_did", "results", "difficulties")


SMALLEST = {"dev": (48, 36), "themes": (140, 48)}  # practices, queries


@pytest.fixture(scope="module", params=sorted(SETS))
def named_set(request):
    with SETS[request.param].open(encoding="utf-8") as handle:
        return request.param, json.load(handle)


@pytest.fixture(scope="module")
def dev_set(named_set):
    return named_set[1]


def test_dev_set_is_big_enough(named_set):
    name, judged = named_set
    practices, queries = SMALLEST[name]
    assert len(judged["practices"]) >= practices
    assert len(judged["queries"]) >= queries


def test_practice_refs_and_query_ids_are_unique(dev_set):
    refs = [practice["ref"] for practice in dev_set["practices"]]
    ids = [query["id"] for query in dev_set["queries"]]
    assert len(refs) == len(set(refs))
    assert len(ids) == len(set(ids))


def test_practices_are_complete(dev_set):
    for practice in dev_set["practices"]:
        assert practice["kind"] in KINDS, practice["ref"]
        for field in TEXT_FIELDS:
            assert isinstance(practice[field], str), (practice["ref"], field)
            assert practice[field].strip(), (practice["ref"], field)
        for field in ("tags", "skills"):
            assert practice[field], (practice["ref"], field)
            assert all(isinstance(item, str) and item.strip() for item in practice[field]), (practice["ref"], field)


def test_practices_are_60_to_160_words(dev_set):
    for practice in dev_set["practices"]:
        words = sum(len(practice[field].split()) for field in TEXT_FIELDS)
        words += sum(len(item.split()) for item in practice["tags"] + practice["skills"])
        assert 60 <= words <= 160, (practice["ref"], words)


def test_every_judged_ref_exists_with_a_valid_grade(dev_set):
    refs = {practice["ref"] for practice in dev_set["practices"]}
    for query in dev_set["queries"]:
        assert set(query["relevant"]) <= refs, query["id"]
        assert set(query["relevant"].values()) <= {1, 2, 3}, query["id"]


def test_every_query_has_an_exact_answer(dev_set):
    for query in dev_set["queries"]:
        assert 3 in query["relevant"].values(), query["id"]


def test_queries_are_typed_like_people_type(dev_set):
    for query in dev_set["queries"]:
        assert query["type"] in QUERY_TYPES, query["id"]
        assert 2 <= len(query["text"].split()) <= 6, query["id"]


def test_a_third_of_the_queries_are_paraphrases_and_a_third_the_authors_words(dev_set):
    counts = Counter(query["type"] for query in dev_set["queries"])
    assert counts["paraphrase"] / len(dev_set["queries"]) >= 1 / 3
    assert (counts["exact"] + counts["inflected"]) / len(dev_set["queries"]) >= 1 / 3
    assert counts["exact"]
    assert counts["inflected"]


def test_several_themes_have_competing_practices(dev_set):
    # Ranking only matters when a query has more than one relevant practice to order.
    contested = [query for query in dev_set["queries"] if len(query["relevant"]) >= 2]
    assert len(contested) >= len(dev_set["queries"]) * 0.8


def test_network_file_carries_every_practice_with_its_author(dev_set):
    data = network_file(dev_set)
    assert [record["ref"] for record in data["practices"]] == [p["ref"] for p in dev_set["practices"]]
    for record in data["practices"]:
        assert set(PRACTICE_FIELDS) <= set(record)
        assert record["author"] == data["members"][0]["email"]
        assert record["team"] in data["members"][0]["teams"]
        assert (record["visibility"], record["status"]) == ("network", "published")


# --- The themes set's authors and questions (bench/routing_quality.py) ------------------------


@pytest.fixture(scope="module")
def themes_set():
    with SETS["themes"].open(encoding="utf-8") as handle:
        return json.load(handle)


def test_each_theme_has_three_authors_writing_three_two_and_one(themes_set):
    by_theme = {}
    for practice in themes_set["practices"]:
        assert practice["author"][:3] == practice["ref"][:3], practice["ref"]
        by_theme.setdefault(practice["ref"][:3], Counter())[practice["author"]] += 1
    assert {theme["key"] for theme in themes_set["themes"]} == set(by_theme)
    for theme, counts in by_theme.items():
        assert sorted(counts.values(), reverse=True) == [3, 2, 1], theme


def test_questions_are_asked_like_people_ask_with_a_useful_practice(themes_set):
    refs = {practice["ref"] for practice in themes_set["practices"]}
    assert len(themes_set["questions"]) >= 2 * len(themes_set["themes"])
    for question in themes_set["questions"]:
        assert question["title"].endswith("?"), question["id"]
        assert 6 <= len(question["title"].split()) <= 16, question["id"]
        assert question["details"].strip(), question["id"]
        assert set(question["relevant"]) <= refs, question["id"]
        assert max(question["relevant"].values()) >= 2, question["id"]
