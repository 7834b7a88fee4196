"""The database's planner statistics, refreshed after bulk writes and every night.

Without them SQLite cannot tell that « these 600 ids » is narrower than « every published
practice », and reads the whole table through an index instead of fetching 600 rows (30 ms
instead of 5 ms at 100,000 practices). PostgreSQL's autovacuum keeps its own, but a bulk import
is faster to plan right away than after autovacuum's next pass. The search indexes' counts of
common words are refreshed with them (see apprenance.core.search).
"""

from django.db import connection

from apprenance.core import search


def refresh() -> None:
    """Recompute the planner's statistics for every table, and the search's counts of common words."""
    search.refresh_statistics()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=0")  # a sampled analysis misjudged the practices' status index
        cursor.execute("ANALYZE")
