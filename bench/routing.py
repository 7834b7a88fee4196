"""Expert routing at scale: how long ranking the experts of a new question takes, and how often the
planted experts come out on top, on a generated network on SQLite and on PostgreSQL.

    python -m bench.routing                                     # 1,000,000 practices, both databases
    python -m bench.routing --practices 100000 --databases sqlite
    python -m bench.routing --databases postgresql --reuse      # measure again on the network built last

The network has 50,000 members (100 organisations of 10 teams of 50) and ``--practices``
practices drawn from bench.practices_corpus, plus a tenth as many answers (a third of them
upvoted) to earlier questions. For each of ``--questions`` generated questions, three members of
other organisations are planted as its experts: each wrote four more practices on its topic.
The members' expert profiles are then rebuilt in bulk, as after a network import
(``profiles.refresh_profiles``). Each question is then asked as a member would
(``services.ask_question`` minus the notifications: ``routing.rank_experts``), once, its meaning
encoded for the first time.

Reported, as JSON in var/bench-routing/results.json: build time (the profiles' rebuild apart),
the latency of ranking (p50, p99; target p99 under 200 ms), and precision@5 against the planted
experts (questions on the same topic share theirs: 5 out of 5 at best, with five or more).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import practices_corpus
from bench.run import ROOT
from bench.search_scale import POSTGRES_ADMIN_URL

VAR_DIR = ROOT / "var" / "bench-routing"
POSTGRES_DATABASE = "apprenance_bench_routing"
MEMBERS_PER_TEAM = 50  # 100 organisations × 10 teams × 50 = 50,000 members
PLANTED = 3
PLANTED_PRACTICES = 4
TARGET_P99_MS = 200
SEED = 11


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--practices", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--output", type=Path, default=VAR_DIR / "results.json")
    parser.add_argument(
        "--reuse", action="store_true", help="rank again on the network the last run built (its build figures kept)"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # in the child process
    return parser.parse_args(argv)


def environment(database: str, size: int) -> dict[str, str]:
    var_dir = VAR_DIR / f"{database}-{size}"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "APPRENANCE_VAR_DIR": str(var_dir)}
    env["DEBUG"] = "false"
    for name in ("REDIS_URL", "REDIS_QUEUE_URL", "TASKS_QUEUE"):
        env.pop(name, None)
    if database == "postgresql":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{POSTGRES_DATABASE}_{size}"
    else:
        env.pop("DATABASE_URL", None)
    return env


def fresh_database(database: str, size: int, env) -> None:
    # A network half built must not be taken for the last one: its cases go first.
    (Path(env["APPRENANCE_VAR_DIR"]) / "network.json").unlink(missing_ok=True)
    if database == "postgresql":
        import psycopg

        name = f"{POSTGRES_DATABASE}_{size}"
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    else:
        for path in Path(env["APPRENANCE_VAR_DIR"]).glob("apprenance.sqlite3*"):
            path.unlink()
    subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)


def _vector(vectors, action, obj, complement, sentences):
    import numpy as np

    vector = vectors["action"][action] + vectors["object"][obj] + vectors["complement"][complement]
    vector = vector + vectors["sentence"][sentences].sum(axis=0)
    return vector / np.linalg.norm(vector)


def add_answers(total: int, vectors, authors, rng: random.Random) -> None:
    """``total`` answers to earlier questions, indexed and with their meaning, a third upvoted."""
    from django.db import transaction
    from django.utils import timezone

    from apprenance.core import search, semantic
    from apprenance.questions.finding import ANSWER_INDEX
    from apprenance.questions.models import Answer, Question

    C = practices_corpus  # noqa: N806 -- the fragment pools
    asked = [
        Question(
            title=f"Comment {C.ACTIONS[rng.randrange(len(C.ACTIONS))].lower()} {C.OBJECTS[number % len(C.OBJECTS)]} ?",
            author_id=authors[rng.randrange(len(authors))][0],
            organisation_id=authors[rng.randrange(len(authors))][1],
            answer_count=10,
            status="answered",
        )
        for number in range(max(1, total // 10))
    ]
    with transaction.atomic():
        Question.objects.bulk_create(asked, batch_size=5_000)
    questions = list(Question.objects.values_list("pk", "title"))
    now = timezone.now()
    for first in range(0, total, practices_corpus.BATCH):
        rows, texts = [], []
        for number in range(first, min(total, first + practices_corpus.BATCH)):
            question_id, title = questions[number % len(questions)]
            sentences = rng.sample(range(len(C.SENTENCES)), 3)
            body = " ".join(C.SENTENCES[s] for s in sentences)
            obj = number % len(C.OBJECTS)
            vector = _vector(vectors, 0, obj, 0, sentences)
            rows.append(
                Answer(
                    question_id=question_id,
                    author_id=authors[rng.randrange(len(authors))][0],
                    body=body,
                    useful_count=1 if number % 3 == 0 else 0,
                    created_at=now,
                    updated_at=now,
                    embedding=semantic.encode(vector),
                )
            )
            texts.append((title, body))
        with transaction.atomic():
            created = Answer.objects.bulk_create(rows)
            if created[0].pk is None:
                last = Answer.objects.order_by("-pk").values_list("pk", flat=True)[: len(rows)]
                for answer, pk in zip(created, sorted(last), strict=True):
                    answer.pk = pk
            search.index_many(ANSWER_INDEX, [(a.pk, t, b) for a, (t, b) in zip(created, texts, strict=True)])


def plant(count: int, vectors, authors, rng: random.Random) -> list[dict]:
    """For each question: its asker, its topic and three experts who wrote four practices on it."""
    from django.db import transaction
    from django.utils import timezone

    from apprenance.core import search, semantic
    from apprenance.practices.models import Practice
    from apprenance.practices.ranking import INDEX

    C = practices_corpus  # noqa: N806
    cases, rows, texts = [], [], []
    now = timezone.now()
    for number in range(count):
        obj = number % len(C.OBJECTS)
        asker = authors[rng.randrange(len(authors))]
        experts = []
        while len(experts) < PLANTED:
            candidate = authors[rng.randrange(len(authors))]
            if candidate[1] != asker[1] and candidate not in experts:
                experts.append(candidate)
        for expert in experts:
            for _ in range(PLANTED_PRACTICES):
                action, complement = rng.randrange(len(C.ACTIONS)), rng.randrange(len(C.COMPLEMENTS))
                sentences = rng.sample(range(len(C.SENTENCES)), 6)
                title = f"{C.ACTIONS[action]} {C.OBJECTS[obj]} {C.COMPLEMENTS[complement]}"
                body = " ".join(C.SENTENCES[s] for s in sentences)
                rows.append(
                    Practice(
                        title=title,
                        kind="practice",
                        context=body,
                        what_we_did=body,
                        results="",
                        author_id=expert[0],
                        organisation_id=expert[1],
                        team_id=expert[2],
                        visibility="network",
                        status="published",
                        created_at=now,
                        updated_at=now,
                        published_at=now,
                        embedding=semantic.encode(_vector(vectors, action, obj, complement, sentences)),
                    )
                )
                texts.append((title, body))
        cases.append(
            {
                "topic": obj,
                "asker": asker[0],
                "title": f"Comment fais-tu pour {C.ACTIONS[rng.randrange(len(C.ACTIONS))].lower()} {C.OBJECTS[obj]} ?",
                "experts": [expert[0] for expert in experts],
            }
        )
    with transaction.atomic():
        created = Practice.objects.bulk_create(rows)
        if created[0].pk is None:
            last = Practice.objects.order_by("-pk").values_list("pk", flat=True)[: len(rows)]
            for practice, pk in zip(created, sorted(last), strict=True):
                practice.pk = pk
        search.index_many(INDEX, [(p.pk, t, b) for p, (t, b) in zip(created, texts, strict=True)])
    # Topics come back when there are more questions than topics: every expert planted on a
    # question's topic is a right expert for it.
    by_topic: dict[int, set[int]] = {}
    for case in cases:
        by_topic.setdefault(case["topic"], set()).update(case["experts"])
    for case in cases:
        case["experts"] = sorted(by_topic[case["topic"]])
    return cases


def network_path() -> Path:
    """Where a built network's figures and planted cases are kept, beside its database."""
    return Path(os.environ["APPRENANCE_VAR_DIR"]) / "network.json"


def build(practices: int, questions: int) -> dict:
    """The generated network, with its planted experts; its figures and cases are also kept on disk."""
    from apprenance.core import statistics as planner_statistics
    from apprenance.core.generations import bump
    from apprenance.people.models import Member
    from apprenance.practices.models import PRACTICES_GENERATION
    from apprenance.questions import profiles
    from apprenance.questions.models import QUESTIONS_GENERATION

    practices_corpus.MEMBERS_PER_TEAM = MEMBERS_PER_TEAM
    started = time.perf_counter()
    built = practices_corpus.generate(practices)
    rng = random.Random(SEED)
    vectors = practices_corpus.fragment_vectors()
    authors = list(Member.objects.filter(email__endswith="@bench.example").values_list("pk", "organisation_id"))
    teams = dict(Member.objects.filter(email__endswith="@bench.example").values_list("pk", "memberships__team_id"))
    authors = [(pk, organisation, teams[pk]) for pk, organisation in authors]
    add_answers(practices // 10, vectors, authors, rng)
    cases = plant(questions, vectors, authors, rng)
    network_seconds = time.perf_counter() - started
    profiles.refresh_profiles()
    profiles_seconds = time.perf_counter() - started - network_seconds
    bump(PRACTICES_GENERATION)
    bump(QUESTIONS_GENERATION)
    planner_statistics.refresh()
    build_seconds = time.perf_counter() - started - profiles_seconds
    network = {
        "built": {
            **built,
            "members": len(authors),
            "answers": practices // 10,
            "network_build_seconds": round(build_seconds, 1),
            "profiles_build_seconds": round(profiles_seconds, 1),
        },
        "cases": cases,
    }
    network_path().write_text(json.dumps(network) + "\n", encoding="utf-8")
    return network


def measure(practices: int, questions: int, reuse: bool) -> dict:
    """In the child process: build the network (unless reused), then rank the experts of each question once."""
    import django

    django.setup()
    from django.db import connection

    from apprenance.people.models import Member
    from apprenance.questions import finding, routing
    from apprenance.questions.models import Question

    network = json.loads(network_path().read_text(encoding="utf-8")) if reuse else build(practices, questions)
    cases = network["cases"]
    members = Member.objects.in_bulk([case["asker"] for case in cases])
    warm = Question.objects.create(title="Comment préparer les réunions d’équipe ?", author=members[cases[0]["asker"]],
                                   organisation_id=members[cases[0]["asker"]].organisation_id)  # fmt: skip
    routing.rank_experts(warm)  # loads the encoder, the thesaurus and the caches a running server holds
    timings, precisions = [], []
    for case in cases:
        asker = members[case["asker"]]
        question = Question.objects.create(title=case["title"], author=asker, organisation_id=asker.organisation_id)
        finding.refresh_question(question, [], [])
        begun = time.perf_counter()
        suggestions = routing.rank_experts(question)
        timings.append((time.perf_counter() - begun) * 1000)
        top = [suggestion.member.pk for suggestion in suggestions[:5]]
        precisions.append(sum(1 for pk in top if pk in case["experts"]) / 5)
    timings.sort()
    connection.close()
    return {
        **network["built"],
        "reused": reuse,
        "questions": len(cases),
        "p50_ms": round(statistics.median(timings), 1),
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 1),
        "max_ms": round(timings[-1], 1),
        "precision@5": round(statistics.mean(precisions), 3),
        "best_precision@5": round(statistics.mean(min(5, len(case["experts"])) / 5 for case in cases), 3),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.practices, args.questions, args.reuse)))
        return 0
    results = {}
    for database in args.databases.split(","):
        env = environment(database, args.practices)
        reuse = args.reuse and (Path(env["APPRENANCE_VAR_DIR"]) / "network.json").exists()
        if args.reuse and not reuse:
            print(f"{database}: no network built yet at this size, building one", file=sys.stderr)
        if not reuse:
            fresh_database(database, args.practices, env)
        output = subprocess.run(
            [sys.executable, "-m", "bench.routing", "--measure", "--practices", str(args.practices),
             "--questions", str(args.questions), *(["--reuse"] if reuse else [])],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        results[database] = json.loads(output.strip().splitlines()[-1])
        print(database, json.dumps(results[database]), flush=True)
    report = {"target_p99_ms": TARGET_P99_MS, "results": results}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    missed = [database for database, result in results.items() if result["p99_ms"] >= TARGET_P99_MS]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
