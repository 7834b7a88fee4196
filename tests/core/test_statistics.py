"""Planner statistics: refreshed, the candidates of a search are fetched by id, not by scanning."""

import pytest
from django.db import connection

from apprenance.core import statistics
from apprenance.core.tasks import refresh_statistics
from apprenance.practices.models import Practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_practices(people):
    Practice.objects.bulk_create(
        Practice(
            title=f"Pratique {number}",
            context="Contexte",
            what_we_did="Ce que nous avons fait",
            results="Résultats",
            author=people.owner,
            organisation=people.organisation,
            status="published",
            visibility="network",
        )
        for number in range(2000)
    )
    return list(Practice.objects.values_list("pk", flat=True))


def candidates_plan(member, ids) -> str:
    queryset = Practice.objects.published().visible_to(member).filter(pk__in=ids).order_by().values_list("pk")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_with_fresh_statistics_sqlite_fetches_candidates_by_id(people, many_practices):
    ids = many_practices[::40]
    assert "INTEGER PRIMARY KEY" not in candidates_plan(people.colleague, ids)  # guessing, it scans an index
    statistics.refresh()
    assert "INTEGER PRIMARY KEY" in candidates_plan(people.colleague, ids)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's catalogue")
def test_fresh_statistics_count_the_rows_on_postgresql(people, many_practices):
    statistics.refresh()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'practices_practice'")
        assert cursor.fetchone()[0] == len(many_practices)


def test_the_nightly_task_refreshes_them(people, many_practices, django_capture_on_commit_callbacks):
    refresh_statistics.call(slot="2026-12-02T02:45:00+00:00")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'practices_practice'")
            assert cursor.fetchone()[0] > 0
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'practices_practice'")
            assert cursor.fetchone()[0] == len(many_practices)
