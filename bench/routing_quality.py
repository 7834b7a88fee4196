"""Score expert routing on French development networks: is a right expert suggested first?

    .venv/bin/python -m bench.routing_quality            # table + var/bench-routing-quality/results.json
    .venv/bin/python -m bench.routing_quality -v         # also list every question with its top 3

Two networks, each imported into a throw-away SQLite database:

- **dev**: the 52 practices of the search development set (bench/search_quality/dev_set.json)
  given to members by theme, one or two per theme, in three organisations. Each judged query is
  asked as a question (« Comment faire : … ? ») by a member who wrote nothing.
- **themes**: bench/search_quality/themes_set.json, 24 other themes on which three members
  clearly wrote (three practices, two and one), and two questions per theme worded as managers
  ask their peers, with a sentence of details.

Every question goes through the real API: ``POST /api/v1/questions/`` then
``GET /api/v1/questions/{id}/experts``. Its right experts are the authors of the practices
judged 2 or more for it.

Reported: the share of questions whose first suggestion is a right expert, and precision@3 as a
share of the best possible precision@3 (a question with one right expert can reach 1/3 at best).
Targets: 70 % and 85 %. Beside them, BM25 over each member's practices (the lexical ranking issue
5 measures on its held-out network: 53 % and 76 %) on the same questions.
"""

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.search_quality import baseline
from bench.search_quality.run import DEV_SET, PRACTICE_FIELDS, THEMES_SET, BenchError, load_dev_set, setup_django

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "var" / "bench-routing-quality"
TARGET_FIRST = 0.70
TARGET_PRECISION_SHARE = 0.85
RIGHT_GRADE = 2
ASKER = "demandeur@eval.example"

# Practices of the dev set by theme, each theme written by one or two members.
THEMES = [
    ["d01", "d02", "d03"], ["d04", "d05", "d06"], ["d07", "d08", "d09"], ["d10", "d13"], ["d11", "d12", "d46"],
    ["d14", "d15", "d16"], ["d17", "d18", "d19"], ["d20", "d21"], ["d22", "d23"], ["d24", "d25", "d26"],
    ["d27", "d28"], ["d29", "d30"], ["d31", "d32"], ["d33", "d34"], ["d35", "d36", "d37"], ["d38", "d39"],
    ["d40", "d41"], ["d42", "d43", "d44"], ["d45", "d47", "d48"], ["d49", "d50"], ["d51", "d52"],
]  # fmt: skip
ORGANISATIONS = [("mairie", "Mairie de Vernay", "public_action"), ("banque", "Banque d’Arnelle", "economy"),
                 ("asso", "Association Trait d’union", "civil_society")]  # fmt: skip
TEAM = "Équipe"


def authors_by_ref() -> dict[str, str]:
    """Each practice's author: a theme's first two practices by one member, the rest by another."""
    authors = {}
    for number, refs in enumerate(THEMES):
        for position, ref in enumerate(refs):
            authors[ref] = f"auteur{number:02d}{'a' if position < 2 else 'b'}@eval.example"
    return authors


@dataclass(frozen=True)
class RoutingSet:
    """A development network: practices with their authors' e-mails, and the questions asked of it."""

    practices: list[dict]
    authors: dict[str, str]  # practice ref → author e-mail
    asked: list[dict]  # {"id", "type", "title", "details", "right": [e-mails]}


def right_experts(relevant: dict[str, int], authors: dict[str, str]) -> list[str]:
    return sorted({authors[ref] for ref, grade in relevant.items() if grade >= RIGHT_GRADE and ref in authors})


def dev_routing_set(dev_set: dict) -> RoutingSet:
    """The search dev set by theme; its judged queries with right experts, asked as a member would ask them."""
    authors = authors_by_ref()
    asked = []
    for query in dev_set["queries"]:
        right = right_experts(query["relevant"], authors)
        if right:
            asked.append({"id": query["id"], "type": query["type"], "title": f"Comment faire : {query['text']} ?",
                          "details": "", "right": right})  # fmt: skip
    practices = [practice for practice in dev_set["practices"] if practice["ref"] in authors]
    return RoutingSet(practices, authors, asked)


def themes_routing_set(themes_set: dict) -> RoutingSet:
    """The themes set: each practice names its author; its questions are asked as written."""
    authors = {practice["ref"]: f"{practice['author']}@eval.example" for practice in themes_set["practices"]}
    asked = [
        {"id": question["id"], "type": "question", "title": question["title"], "details": question["details"],
         "right": right_experts(question["relevant"], authors)}
        for question in themes_set["questions"]
    ]  # fmt: skip
    return RoutingSet(themes_set["practices"], authors, asked)


def network_file(routing_set: RoutingSet) -> dict:
    emails = sorted(set(routing_set.authors.values()))
    members = [
        {
            "email": email,
            "first_name": "Membre",
            "last_name": email.split("@")[0],
            "organisation": ORGANISATIONS[index % len(ORGANISATIONS)][0],
            "teams": [TEAM],
        }
        for index, email in enumerate(emails)
    ]
    members.append({"email": ASKER, "first_name": "Dé", "last_name": "Mandeur", "organisation": "mairie"})
    practices = [
        {field: practice[field] for field in PRACTICE_FIELDS}
        | {"author": routing_set.authors[practice["ref"]], "team": TEAM, "visibility": "network", "status": "published"}
        for practice in routing_set.practices
    ]
    return {
        "format": "apprenance-network",
        "version": 1,
        "organisations": [
            {"slug": slug, "name": name, "world": world, "teams": [{"name": TEAM}]}
            for slug, name, world in ORGANISATIONS
        ],
        "members": members,
        "practices": practices,
    }


def lexical_route(routing_set: RoutingSet):
    """BM25 over each member's practices (bench/search_quality/baseline.py), asked the question's title and details."""
    texts = defaultdict(list)
    for practice in routing_set.practices:
        title, body = baseline.practice_text(practice)
        texts[routing_set.authors[practice["ref"]]].append(f"{title} {body}")
    search = baseline.members_search(texts)
    return lambda question: search(f"{question['title']} {question['details']}")


def score(asked: list[dict], route) -> dict:
    """Each question of ``asked`` routed by ``route`` (question → ranked e-mails), scored."""
    results = []
    for question in asked:
        ranked = route(question)
        right = set(question["right"])
        results.append(
            {
                "id": question["id"],
                "type": question["type"],
                "title": question["title"],
                "first_is_right": bool(ranked) and ranked[0] in right,
                "precision@3": sum(1 for email in ranked[:3] if email in right) / 3,
                "best_precision@3": min(3, len(right)) / 3,
                "top3": ranked[:3],
                "right": question["right"],
            }
        )
    by_type = {
        kind: _shares([r for r in results if r["type"] == kind]) for kind in sorted({r["type"] for r in results})
    }
    return {
        **_shares(results),
        "by_type": by_type,
        "targets": {"first_is_right": TARGET_FIRST, "precision@3_share": TARGET_PRECISION_SHARE},
        "results": results,
    }


def _shares(results: list[dict]) -> dict:
    return {
        "questions": len(results),
        "first_is_right": round(sum(r["first_is_right"] for r in results) / len(results), 4),
        "precision@3_share": round(
            sum(r["precision@3"] for r in results) / sum(r["best_precision@3"] for r in results), 4
        ),
    }


def prepare_routing(routing_set: RoutingSet):
    """Migrate, import the network, sign the asker in; return question → ranked e-mails from the API."""
    from django.core.management import call_command
    from django.test import Client

    from apprenance.people.models import Member
    from apprenance.people.network import NetworkFileError, import_network

    call_command("migrate", verbosity=0)
    try:
        import_network(network_file(routing_set))
    except NetworkFileError as error:
        raise BenchError("the network does not import:\n" + "\n".join(error.problems)) from error
    call_command("worker", "--once")
    client = Client()
    client.force_login(Member.objects.get(email=ASKER), backend="django.contrib.auth.backends.ModelBackend")

    def route(question: dict) -> list[str]:
        body = {"title": question["title"], "body": question["details"]}
        created = client.post("/api/v1/questions/", body, content_type="application/json")
        if created.status_code != 201:
            raise BenchError(f"POST /api/v1/questions/ answered {created.status_code}: {created.content[:300]!r}")
        experts = client.get(f"/api/v1/questions/{created.json()['id']}/experts").json()["items"]
        return [item["member"]["email"] for item in experts]

    return route


def routing_set_named(name: str) -> RoutingSet:
    if name == "themes":
        return themes_routing_set(load_dev_set(THEMES_SET))
    return dev_routing_set(load_dev_set(DEV_SET))


def print_table(report: dict, baseline_report: dict) -> None:
    print(f"{'type':<12}{'questions':>10}{'first right':>13}{'P@3 / best':>12}")
    for kind, scores in report["by_type"].items():
        print(
            f"{kind:<12}{scores['questions']:>10}{scores['first_is_right']:>13.3f}{scores['precision@3_share']:>12.3f}"
        )
    print(f"{'all':<12}{report['questions']:>10}{report['first_is_right']:>13.3f}{report['precision@3_share']:>12.3f}")
    print(
        f"{'BM25 baseline':<22}{baseline_report['first_is_right']:>13.3f}{baseline_report['precision@3_share']:>12.3f}"
        "  (issue 5's held-out network: 0.530, 0.760)"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=["dev", "themes"], default="dev", dest="set_name", help="which network")
    parser.add_argument("--json", type=Path, dest="json_path", help="default: var/bench-routing-quality/<set>.json")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    routing_set = routing_set_named(args.set_name)
    with tempfile.TemporaryDirectory(prefix="apprenance-routing-quality-") as var_dir:
        setup_django(Path(var_dir))
        try:
            report = score(routing_set.asked, prepare_routing(routing_set))
        except BenchError as error:
            print(error, file=sys.stderr)
            return 2
        from django.db import connections

        connections.close_all()
    lexical = score(routing_set.asked, lexical_route(routing_set))
    report["lexical_baseline"] = {key: lexical[key] for key in ("first_is_right", "precision@3_share", "by_type")}
    json_path = args.json_path or RESULTS_DIR / f"{args.set_name}.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"network « {args.set_name} »")
    print_table(report, lexical)
    if args.verbose:
        for result in report["results"]:
            mark = "✓" if result["first_is_right"] else "✗"
            print(f"{mark} {result['id']} {result['title']!r}\n    top3 {result['top3']}\n    right {result['right']}")
    print(f"results written to {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
