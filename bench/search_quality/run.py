"""Score the French practice search on a hand-judged development set.

    .venv/bin/python -m bench.search_quality.run                # table + var/bench-search-quality/dev.json
    .venv/bin/python -m bench.search_quality.run --check -v     # also list every query; exit 1 on a missed target
    .venv/bin/python -m bench.search_quality.run --set themes   # the second set: var/…/themes.json

The practices of dev_set.json (or themes_set.json: 144 practices on 24 other themes, written
after the search was tuned on the first set) are imported with ``import_network`` into a throw-away SQLite
database, then each query goes through the real API (``GET /api/v1/practices/?q=…``) as a
signed-in member, so the score is the one members get. Targets: nDCG@5 ≥ 0.75 over all queries
and MRR@10 ≥ 0.70 on paraphrase queries (MRR counts the first result graded 2 or more). The same
queries are also scored as members type them otherwise (« Réunions d'équipe ? », « Comment … ? »),
and by a plain FTS5 index (bench/search_quality/baseline.py), to compare the set's difficulty with
issue 4's held-out set.
"""

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from bench.search_quality import baseline
from bench.search_quality.metrics import ndcg_at_k, reciprocal_rank, summarise

ROOT = Path(__file__).resolve().parents[2]
DEV_SET = Path(__file__).with_name("dev_set.json")
# 24 other themes, three authors on each (also the « themes » network of bench/routing_quality.py).
THEMES_SET = Path(__file__).with_name("themes_set.json")
SETS = {"dev": DEV_SET, "themes": THEMES_SET}
RESULTS_DIR = ROOT / "var" / "bench-search-quality"
SETTINGS_MODULE = "apprenance.settings"
SEARCH_PATH = "/api/v1/practices/"
TOP_K = 10
NDCG_K = 5
TARGET_NDCG = 0.75
TARGET_PARAPHRASE_MRR = 0.70

ORGANISATION = "eval"
TEAM = "Équipe"
AUTHOR = "auteur@eval.example"
PRACTICE_FIELDS = ("ref", "title", "kind", "context", "what_we_did", "results", "difficulties", "tags", "skills")

Search = Callable[[str], list[str]]


class BenchError(Exception):
    """The bench could not run (not a missed target): the message says what to fix."""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=sorted(SETS), default="dev", dest="set_name", help="which judged set")
    parser.add_argument("--dev-set", type=Path, help="judged practices and queries (default: the --set's file)")
    parser.add_argument("--json", type=Path, dest="json_path", help="default: var/bench-search-quality/<set>.json")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every query with its top 5")
    return parser.parse_args(argv)


def load_dev_set(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def network_file(dev_set: Mapping) -> dict:
    """The dev set as an ``apprenance-network`` file: one organisation, one team, one author."""
    practices = [
        {field: practice[field] for field in PRACTICE_FIELDS}
        | {"author": AUTHOR, "team": TEAM, "visibility": "network", "status": "published"}
        for practice in dev_set["practices"]
    ]
    return {
        "format": "apprenance-network",
        "version": 1,
        "organisations": [{"slug": ORGANISATION, "name": "Évaluation", "world": "economy", "teams": [{"name": TEAM}]}],
        "members": [
            {"email": AUTHOR, "first_name": "A", "last_name": "B", "organisation": ORGANISATION, "teams": [TEAM]}
        ],
        "practices": practices,
    }


def score_queries(queries: Sequence[Mapping], search: Search) -> list[dict]:
    """Run every query through ``search`` (text → ranked refs) and score it."""
    results = []
    for query in queries:
        ranked = search(query["text"])[:TOP_K]
        results.append(
            {
                "id": query["id"],
                "type": query["type"],
                "text": query["text"],
                "ndcg@5": ndcg_at_k(ranked, query["relevant"], k=NDCG_K),
                "rr": reciprocal_rank(ranked, query["relevant"], k=TOP_K),
                "top5": ranked[:NDCG_K],
            }
        )
    return results


# The same queries as members also type them: with a capital and a question mark, or asked as a
# question. Each is scored like the queries as written (reported, not a target: a search that
# ranks them worse reads the words' case and punctuation rather than their meaning).
TYPED_FORMS = {
    "capitalised": lambda text: f"{text[:1].upper()}{text[1:]} ?",
    "asked": lambda text: f"Comment {text} ?",
}


def score_typed_forms(queries: Sequence[Mapping], search: Search) -> dict:
    """nDCG@5 over all queries and MRR@10 on paraphrases, for each of ``TYPED_FORMS``."""
    scores = {}
    for name, form in TYPED_FORMS.items():
        summary = summarise(score_queries([{**query, "text": form(query["text"])} for query in queries], search))
        paraphrase = summary["by_type"].get("paraphrase", {"mrr@10": 0.0})
        scores[name] = {"ndcg@5": round(summary["ndcg@5"], 4), "paraphrase_mrr@10": round(paraphrase["mrr@10"], 4)}
    return scores


def baseline_scores(dev_set: Mapping) -> dict:
    """The plain FTS5 baseline's scores on the dev set (see bench/search_quality/baseline.py)."""
    summary = summarise(score_queries(dev_set["queries"], baseline.practices_search(dev_set["practices"])))
    paraphrase = summary["by_type"].get("paraphrase", {"mrr@10": 0.0})
    return {
        "ndcg@5": round(summary["ndcg@5"], 4),
        "mrr@10": round(summary["mrr@10"], 4),
        "paraphrase_mrr@10": round(paraphrase["mrr@10"], 4),
    }


def missed_targets(summary: Mapping) -> list[str]:
    missed = []
    if summary["ndcg@5"] < TARGET_NDCG:
        missed.append(f"nDCG@5 {summary['ndcg@5']:.3f} < {TARGET_NDCG} over all queries")
    paraphrase = summary["by_type"].get("paraphrase")
    if paraphrase is None:
        missed.append("no paraphrase query was scored")
    elif paraphrase["mrr@10"] < TARGET_PARAPHRASE_MRR:
        missed.append(f"MRR@10 {paraphrase['mrr@10']:.3f} < {TARGET_PARAPHRASE_MRR} on paraphrases")
    return missed


def report(summary: Mapping, results: Sequence[Mapping]) -> dict:
    """The JSON written to --json; scores rounded so that two runs diff cleanly."""
    return {
        "ndcg@5": round(summary["ndcg@5"], 4),
        "mrr@10": round(summary["mrr@10"], 4),
        "by_type": {
            name: {"ndcg@5": round(scores["ndcg@5"], 4), "mrr@10": round(scores["mrr@10"], 4), "count": scores["count"]}
            for name, scores in summary["by_type"].items()
        },
        "targets": {"ndcg@5": TARGET_NDCG, "paraphrase_mrr@10": TARGET_PARAPHRASE_MRR},
        "queries": [
            {
                "id": result["id"],
                "type": result["type"],
                "text": result["text"],
                "ndcg@5": round(result["ndcg@5"], 4),
                "rr": round(result["rr"], 4),
                "top5": result["top5"],
            }
            for result in results
        ],
    }


def format_table(summary: Mapping, results: Sequence[Mapping], verbose: bool = False) -> str:
    lines = [f"{'type':<12}{'queries':>8}{'nDCG@5':>9}{'MRR@10':>9}"]
    for name, scores in summary["by_type"].items():
        lines.append(f"{name:<12}{scores['count']:>8}{scores['ndcg@5']:>9.3f}{scores['mrr@10']:>9.3f}")
    lines.append(f"{'all':<12}{summary['count']:>8}{summary['ndcg@5']:>9.3f}{summary['mrr@10']:>9.3f}")
    if verbose:
        lines.append("")
        for result in results:
            top = " ".join(result["top5"]) or "(nothing)"
            lines.append(
                f"{result['id']} {result['type']:<10} {result['ndcg@5']:.2f} {result['rr']:.2f}  "
                f"{result['text']!r:<44} {top}"
            )
    return "\n".join(lines)


def setup_django(var_dir: Path) -> None:
    """Point the settings at a throw-away directory, then start Django.

    Must run before anything imports the settings: VAR_DIR, hence the SQLite file, is read once.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ["APPRENANCE_VAR_DIR"] = str(var_dir)
    # A developer's DATABASE_URL would send migrate and the import to their real database, and a
    # shared Redis cache or queue would mix this run with the running site.
    for name in ("DATABASE_URL", "REDIS_URL", "REDIS_QUEUE_URL", "TASKS_QUEUE"):
        os.environ.pop(name, None)
    os.environ["EMAIL_URL"] = "locmem://"

    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # lets the test client's "testserver" host through ALLOWED_HOSTS


def prepare_search(dev_set: Mapping) -> Search:
    """Migrate, import the dev set, sign the author in; return text → ranked refs from the API."""
    from django.core.management import call_command
    from django.test import Client

    from apprenance.people.models import Member
    from apprenance.people.network import NetworkFileError, import_network

    call_command("migrate", verbosity=0)
    try:
        import_network(network_file(dev_set))
    except NetworkFileError as error:
        raise BenchError("the dev set does not import:\n" + "\n".join(error.problems)) from error
    # Whatever the import left to background tasks (indexing, say) must be done before we search:
    # members are measured on what they see once the worker has caught up.
    call_command("worker", "--once")

    # Imported here, not at the top: the practices app is younger than this bench, and everything
    # above must keep running (and be checkable) while it is being written.
    try:
        from apprenance.practices.models import Practice
    except (ImportError, RuntimeError) as error:  # RuntimeError: module present but app not installed
        raise BenchError(f"apprenance.practices is not usable yet: {error}") from error

    refs_by_pk = dict(Practice.objects.values_list("pk", "ref"))
    missing = sorted({practice["ref"] for practice in dev_set["practices"]} - set(refs_by_pk.values()))
    if missing:
        raise BenchError(f"{len(missing)} practices of the dev set were not imported: {', '.join(missing[:10])}")

    client = Client()
    # ModelBackend by name, as the tests do: the first configured backend is django-axes', which
    # cannot load the user back from the session.
    client.force_login(Member.objects.get(email=AUTHOR), backend="django.contrib.auth.backends.ModelBackend")

    def search(text: str) -> list[str]:
        response = client.get(SEARCH_PATH, {"q": text})
        if response.status_code != 200:
            body = response.content[:300].decode(errors="replace")
            raise BenchError(f"GET {SEARCH_PATH}?q={text!r} answered {response.status_code}: {body}")
        # An id we did not import keeps its rank (as a non-relevant result) instead of vanishing.
        return [refs_by_pk.get(item["id"], f"?{item['id']}") for item in response.json()["items"][:TOP_K]]

    return search


def main(argv=None) -> int:
    args = parse_args(argv)
    dev_set = load_dev_set(args.dev_set or SETS[args.set_name])
    json_path = args.json_path or RESULTS_DIR / f"{args.set_name}.json"
    with tempfile.TemporaryDirectory(prefix="apprenance-search-quality-") as var_dir:
        setup_django(Path(var_dir))
        from django.db import connections

        try:
            search = prepare_search(dev_set)
            results = score_queries(dev_set["queries"], search)
            typed = score_typed_forms(dev_set["queries"], search)
        except BenchError as error:
            print(f"search-quality bench cannot run: {error}", file=sys.stderr)
            return 2
        finally:
            connections.close_all()  # the SQLite file must be closed before its directory goes away

    summary = summarise(results)
    lexical = baseline_scores(dev_set)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    written = {**report(summary, results), "typed_forms": typed, "lexical_baseline": lexical}
    json_path.write_text(json.dumps(written, ensure_ascii=False, indent=2) + "\n")
    print(format_table(summary, results, verbose=args.verbose))
    print("\nthe same queries typed otherwise:")
    for name, scores in typed.items():
        print(f"  {name:<12} nDCG@5 {scores['ndcg@5']:.3f}  paraphrases' MRR@10 {scores['paraphrase_mrr@10']:.3f}")
    print(
        f"\nplain FTS5 baseline (bench/search_quality/baseline.py): nDCG@5 {lexical['ndcg@5']:.3f}  "
        f"MRR@10 {lexical['mrr@10']:.3f}  paraphrases' MRR@10 {lexical['paraphrase_mrr@10']:.3f}"
        " (issue 4's held-out set: 0.67, 0.81, 0.52)"
    )
    print(f"\nresults written to {json_path}")

    missed = missed_targets(summary)
    for line in missed:
        print(f"target missed: {line}", file=sys.stderr)
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
