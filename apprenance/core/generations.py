"""Cache generations: ``bump("people")`` in a write's transaction, ``current("people")`` in a cache key."""

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from apprenance.core.models import Generation


def current(name: str) -> int:
    # Read on every page that shows a cached list: plain SQL skips the ORM's query building,
    # which costs more than the query itself.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {Generation._meta.db_table} WHERE name = %s", [name])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else 0


def current_many(*names: str) -> dict[str, int]:
    """``current`` of several generations in one query (a routing reads three, twice each)."""
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, value FROM {Generation._meta.db_table} WHERE name IN ({marks})",  # noqa: S608
            list(names),
        )
        found = dict(cursor.fetchall())
    return {name: found.get(name, 0) for name in names}


def cached(key: str, generation: int, compute, timeout: int = 3600):
    """``compute()``'s result, kept until the generation changes (a write makes it unreachable)."""
    return cache.get_or_set(f"{key}:{generation}", compute, timeout)


def bump(name: str) -> None:
    with transaction.atomic():
        if not Generation.objects.filter(name=name).update(value=F("value") + 1):
            Generation.objects.get_or_create(name=name, defaults={"value": 1})
