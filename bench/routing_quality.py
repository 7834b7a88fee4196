"""Score expert routing on a French development network: is a right expert suggested first?

    .venv/bin/python -m bench.routing_quality            # table + var/bench-routing-quality/results.json
    .venv/bin/python -m bench.routing_quality -v         # also list every question with its top 3

The practices of the search development set (bench/search_quality/dev_set.json) are given to
members by theme — a few members clearly wrote on each — in three organisations, and imported
into a throw-away SQLite database. Each judged query, asked as a question (« Comment … ? ») by a
member who wrote nothing, goes through the real API: ``POST /api/v1/questions/`` then
``GET /api/v1/questions/{id}/experts``. The right experts of a question are the authors of the
practices judged 2 or more for its query.

Reported: the share of questions whose first suggestion is a right expert, and precision@3 as a
share of the best possible precision@3 (a question with one right expert can reach 1/3 at best).
Targets: 70 % and 85 %.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench.search_quality.run import DEV_SET, PRACTICE_FIELDS, BenchError, load_dev_set, setup_django

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JSON = ROOT / "var" / "bench-routing-quality" / "results.json"
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


def network_file(dev_set: dict) -> dict:
    authors = authors_by_ref()
    emails = sorted(set(authors.values()))
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
    organisation_of = {member["email"]: member["organisation"] for member in members}
    practices = [
        {field: practice[field] for field in PRACTICE_FIELDS}
        | {"author": authors[practice["ref"]], "team": TEAM, "visibility": "network", "status": "published"}
        for practice in dev_set["practices"]
        if practice["ref"] in authors
    ]
    assert all(organisation_of[practice["author"]] for practice in practices)
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


def questions(dev_set: dict) -> list[dict]:
    """The judged queries that have right experts, asked as a member would ask them."""
    authors = authors_by_ref()
    asked = []
    for query in dev_set["queries"]:
        right = {authors[ref] for ref, grade in query["relevant"].items() if grade >= RIGHT_GRADE and ref in authors}
        if right:
            asked.append({"id": query["id"], "type": query["type"], "title": f"Comment faire : {query['text']} ?",
                          "right": sorted(right)})  # fmt: skip
    return asked


def score(asked: list[dict], route) -> dict:
    results = []
    for question in asked:
        ranked = route(question["title"])
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
    first = sum(result["first_is_right"] for result in results) / len(results)
    share = sum(result["precision@3"] for result in results) / sum(result["best_precision@3"] for result in results)
    by_type = {}
    for kind in sorted({result["type"] for result in results}):
        chosen = [result for result in results if result["type"] == kind]
        by_type[kind] = {
            "questions": len(chosen),
            "first_is_right": round(sum(r["first_is_right"] for r in chosen) / len(chosen), 4),
            "precision@3_share": round(
                sum(r["precision@3"] for r in chosen) / sum(r["best_precision@3"] for r in chosen), 4
            ),
        }
    return {
        "questions": len(results),
        "first_is_right": round(first, 4),
        "precision@3_share": round(share, 4),
        "by_type": by_type,
        "targets": {"first_is_right": TARGET_FIRST, "precision@3_share": TARGET_PRECISION_SHARE},
        "results": results,
    }


def prepare_routing(dev_set: dict):
    from django.core.management import call_command
    from django.test import Client

    from apprenance.people.models import Member
    from apprenance.people.network import NetworkFileError, import_network

    call_command("migrate", verbosity=0)
    try:
        import_network(network_file(dev_set))
    except NetworkFileError as error:
        raise BenchError("the network does not import:\n" + "\n".join(error.problems)) from error
    call_command("worker", "--once")
    client = Client()
    client.force_login(Member.objects.get(email=ASKER), backend="django.contrib.auth.backends.ModelBackend")

    def route(title: str) -> list[str]:
        created = client.post("/api/v1/questions/", {"title": title, "body": ""}, content_type="application/json")
        if created.status_code != 201:
            raise BenchError(f"POST /api/v1/questions/ answered {created.status_code}: {created.content[:300]!r}")
        experts = client.get(f"/api/v1/questions/{created.json()['id']}/experts").json()["items"]
        return [item["member"]["email"] for item in experts]

    return route


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, dest="json_path")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    dev_set = load_dev_set(DEV_SET)
    with tempfile.TemporaryDirectory(prefix="apprenance-routing-quality-") as var_dir:
        setup_django(Path(var_dir))
        try:
            report = score(questions(dev_set), prepare_routing(dev_set))
        except BenchError as error:
            print(error, file=sys.stderr)
            return 2
        from django.db import connections

        connections.close_all()
    args.json_path.parent.mkdir(parents=True, exist_ok=True)
    args.json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{'type':<12}{'questions':>10}{'first right':>13}{'P@3 / best':>12}")
    for kind, scores in report["by_type"].items():
        print(
            f"{kind:<12}{scores['questions']:>10}{scores['first_is_right']:>13.3f}{scores['precision@3_share']:>12.3f}"
        )
    print(f"{'all':<12}{report['questions']:>10}{report['first_is_right']:>13.3f}{report['precision@3_share']:>12.3f}")
    if args.verbose:
        for result in report["results"]:
            mark = "✓" if result["first_is_right"] else "✗"
            print(f"{mark} {result['id']} {result['title']!r}\n    top3 {result['top3']}\n    right {result['right']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
