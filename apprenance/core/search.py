"""Full-text indexes: one interface, a backend per database vendor.

Both backends index the stems produced by ``apprenance.core.analysis`` (folded, stop words out,
French Snowball stems), so SQLite and PostgreSQL match exactly the same words:

- SQLite: an FTS5 table per index (``search_<name>``), title and body in two columns, and the
  titles again in a table of their own (``search_<name>_title``): "every word in the title"
  among a million practices would otherwise walk the whole lists of documents of common words;
- PostgreSQL: a table of ``tsvector`` (title as weight A, body as B, ``simple`` configuration
  since the text is already folded and stemmed), the title's alone beside it, each with a GIN
  index.

The engines find the candidates; the caller ranks them (see apprenance.practices.ranking).

Writes go through ``index()`` inside the caller's transaction: a document is findable exactly
when the row it describes is committed.
"""

import math
from collections import Counter

from django.core.cache import cache
from django.db import connection, transaction

from apprenance.core.analysis import analyse

# On PostgreSQL the newest matches are looked for among this many newest documents first (the
# primary key read backwards, stopping at the limit); the GIN index finds them when they are
# rarer, unless the newest documents show so many matches in all (more than GIN_FETCH_BUDGET)
# that fetching them would cost more than the search: the newest ones then suffice as candidates.
RECENT_WINDOW = 2_000
GIN_FETCH_BUDGET = 500
# On SQLite, terms held by at least this many documents have their count kept in a table by
# ``refresh_statistics()``: fts5vocab counts a term by reading its whole list of documents.
COMMON_TERM_DOCS = 500
# A term's document frequency is kept this long: counting it reads the term's whole list of
# documents (12 ms for a few common words at 1,000,000), and a few writes barely move it.
DF_CACHE_SECONDS = 3600


def table(name: str) -> str:
    return f"search_{name}"


def ensure_index(name: str, using: str = "default") -> None:
    """Create an index's tables if they are missing (after every migrate, test databases included)."""
    from django.db import connections

    target = connections[using]
    if target.vendor == "sqlite":
        statements = [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table(name)} "
            "USING fts5(title, body, tokenize='unicode61 remove_diacritics 0')",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table(name)}_vocab USING fts5vocab({table(name)}, 'row')",
            f"CREATE TABLE IF NOT EXISTS {table(name)}_common (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) "
            "WITHOUT ROWID",
        ]
        with target.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [f"{table(name)}_title"])
            if cursor.fetchone() is None:
                # Filled from the main table the first time, so an index made before it keeps working.
                statements += [
                    f"CREATE VIRTUAL TABLE {table(name)}_title "
                    "USING fts5(title, tokenize='unicode61 remove_diacritics 0')",
                    f"INSERT INTO {table(name)}_title (rowid, title) SELECT rowid, title FROM {table(name)}",  # noqa: S608
                ]
    elif target.vendor == "postgresql":
        statements = [
            f"CREATE TABLE IF NOT EXISTS {table(name)} (id bigint PRIMARY KEY, vector tsvector NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {table(name)}_vector ON {table(name)} USING gin (vector)",
        ]
        with target.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = 'title_vector'",
                [table(name)],
            )
            has_title = cursor.fetchone() is not None
        if not has_title:
            # Filled from the weighted vector the first time, so an index made before it keeps working.
            statements += [
                f"ALTER TABLE {table(name)} ADD COLUMN title_vector tsvector",
                f"UPDATE {table(name)} SET title_vector = strip(ts_filter(vector, '{{a}}'))",  # noqa: S608
                f"CREATE INDEX {table(name)}_title ON {table(name)} USING gin (title_vector)",
            ]
    else:
        raise NotImplementedError(f"no search backend for {target.vendor}")
    with target.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _match_expression(stems: list[str], every: bool) -> str:
    # Stems are [0-9a-z]+ (see analysis.WORD): quoting them is enough to keep FTS5 syntax out.
    return (" AND " if every else " OR ").join(f'"{stem}"' for stem in stems)


def _tsquery(stems: list[str], every: bool) -> str:
    return (" & " if every else " | ").join(stems)


def index(name: str, doc_id: int, title: str, body: str) -> None:
    """Add or replace one document."""
    index_many(name, [(doc_id, title, body)], replace=True)


def index_many(name: str, rows: list[tuple[int, str, str]], replace: bool = False) -> None:
    """Index documents (id, title, body) at once; ``replace`` when some may be indexed already."""
    analysed = [(doc_id, " ".join(analyse(title)), " ".join(analyse(body))) for doc_id, title, body in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if replace:
                # FTS5 has no upsert: the old row goes first.
                ids = [(row[0],) for row in analysed]
                cursor.executemany(f"DELETE FROM {table(name)} WHERE rowid = %s", ids)  # noqa: S608
                cursor.executemany(f"DELETE FROM {table(name)}_title WHERE rowid = %s", ids)  # noqa: S608
            cursor.executemany(f"INSERT INTO {table(name)} (rowid, title, body) VALUES (%s, %s, %s)", analysed)  # noqa: S608
            cursor.executemany(
                f"INSERT INTO {table(name)}_title (rowid, title) VALUES (%s, %s)",  # noqa: S608
                [(doc_id, title) for doc_id, title, _body in analysed],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table(name)} (id, vector, title_vector) VALUES "  # noqa: S608
                "(%(id)s, setweight(to_tsvector('simple', %(title)s), 'A') "
                "|| setweight(to_tsvector('simple', %(body)s), 'B'), to_tsvector('simple', %(title)s)) "
                "ON CONFLICT (id) DO UPDATE SET vector = EXCLUDED.vector, title_vector = EXCLUDED.title_vector",
                [{"id": doc_id, "title": title, "body": body} for doc_id, title, body in analysed],
            )


def remove(name: str, doc_ids: list[int]) -> None:
    """Take documents out of an index (those not indexed are ignored)."""
    if not doc_ids:
        return
    ids = [(doc_id,) for doc_id in doc_ids]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(f"DELETE FROM {table(name)} WHERE rowid = %s", ids)  # noqa: S608
            cursor.executemany(f"DELETE FROM {table(name)}_title WHERE rowid = %s", ids)  # noqa: S608
        else:
            cursor.executemany(f"DELETE FROM {table(name)} WHERE id = %s", ids)  # noqa: S608


def matching(
    name: str,
    stems: list[str],
    *,
    every: bool,
    title_only: bool = False,
    limit: int,
    within: tuple[str, list] | None = None,
) -> list[int]:
    """Ids of the newest ``limit`` documents holding every (or any) of the stems, in their title if asked.

    No relevance score is computed here: scoring every match of a common word would cost more
    than the whole page on a large network; the caller ranks the few candidates it gets.
    ``within`` is an optional (SQL, params) selecting the ids to search among (filters).
    """
    if not stems:
        return []
    restrict, params = _restriction(within, "rowid" if connection.vendor == "sqlite" else "id")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            searched = f"{table(name)}_title" if title_only else table(name)
            cursor.execute(
                f"SELECT rowid FROM {searched} WHERE {searched} MATCH %s{restrict} "  # noqa: S608
                "ORDER BY rowid DESC LIMIT %s",
                [_match_expression(stems, every), *params, limit],
            )
        else:
            column, query = ("title_vector" if title_only else "vector"), _tsquery(stems, every)
            cursor.execute(
                f"SELECT id FROM (SELECT id, {column} FROM {table(name)} ORDER BY id DESC LIMIT %s) recent "  # noqa: S608
                f"WHERE {column} @@ to_tsquery('simple', %s){restrict} ORDER BY id DESC LIMIT %s",
                [RECENT_WINDOW, query, *params, limit],
            )
            found = [row[0] for row in cursor.fetchall()]
            if len(found) == limit or not _index_worth_reading(cursor, name, len(found)):
                return found
            # Few in all: the GIN index finds every one (materialised, or the planner reads the
            # whole primary key backwards).
            rows = _through_the_index(
                cursor,
                f"WITH found AS MATERIALIZED (SELECT id FROM {table(name)} "  # noqa: S608
                f"WHERE {column} @@ to_tsquery('simple', %s){restrict}) "
                "SELECT id FROM found ORDER BY id DESC LIMIT %s",
                [query, *params, limit],
            )
            return [row[0] for row in rows]
        return [row[0] for row in cursor.fetchall()]


def matching_every(
    name: str, stems: list[str], *, limit: int, within: tuple[str, list] | None = None
) -> tuple[list[int], list[int]]:
    """The newest ``limit`` documents holding every stem in their title, and those holding every
    stem anywhere (as ``matching`` twice, for the price of one search on PostgreSQL)."""
    if not stems:
        return [], []
    if connection.vendor == "sqlite":
        return (
            matching(name, stems, every=True, title_only=True, limit=limit, within=within),
            matching(name, stems, every=True, limit=limit, within=within),
        )
    # A title's words are in the document's vector too: the documents holding every word are
    # read once, each saying whether its title holds them all. Every such document is fetched
    # from the GIN index when the newest show few in all; otherwise the newest ones suffice, and
    # titles holding every word are looked for among them only (reading the titles' index for
    # two common words costs more, at a million documents, than the rest of the search).
    restrict, params = _restriction(within, "id")
    query = _tsquery(stems, True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, title_vector @@ to_tsquery('simple', %s) FROM (SELECT id, vector, title_vector "  # noqa: S608
            f"FROM {table(name)} ORDER BY id DESC LIMIT %s) recent "
            f"WHERE vector @@ to_tsquery('simple', %s){restrict} ORDER BY id DESC",
            [query, RECENT_WINDOW, query, *params],
        )
        rows = cursor.fetchall()
        if _index_worth_reading(cursor, name, len(rows)):
            # Few in all: every one, newest first (bounded, should the newest have shown too few).
            rows = _through_the_index(
                cursor,
                f"WITH found AS MATERIALIZED (SELECT id, title_vector @@ to_tsquery('simple', %s) "  # noqa: S608
                f"FROM {table(name)} WHERE vector @@ to_tsquery('simple', %s){restrict}) "
                "SELECT * FROM found ORDER BY id DESC LIMIT %s",
                [query, query, *params, GIN_FETCH_BUDGET * 4],
            )
    in_title = [doc_id for doc_id, title_holds in rows if title_holds]
    return in_title[:limit], [doc_id for doc_id, _title_holds in rows[:limit]]


def _through_the_index(cursor, sql: str, params: list) -> list[tuple]:
    """The rows of a search read through the GIN index. The planner guesses a conjunction of
    common words from each word's frequency, far above what the newest documents show, and would
    read the whole table instead (300 ms at a million documents): for this query only, it is
    told not to."""
    with transaction.atomic():
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        cursor.execute("SELECT set_config('enable_seqscan', 'on', true)")
    return rows


def _restriction(within: tuple[str, list] | None, column: str) -> tuple[str, list]:
    """SQL (and its parameters) keeping the search to the ids ``within`` selects; nothing without it."""
    if within is None:
        return "", []
    return f" AND {column} IN ({within[0]})", list(within[1])


def _index_worth_reading(cursor, name: str, found_in_window: int) -> bool:
    """On PostgreSQL, after the look among the newest documents: whether the GIN index should
    fetch every match. Not when the newest show so many that there are more than GIN_FETCH_BUDGET
    in all, nor when the newest are all there are (a small network: nothing more to fetch;
    counted, not read from the statistics, which say 0 of a table never analysed)."""
    _common, total = _common_lexemes(name)
    if found_in_window * total / RECENT_WINDOW > GIN_FETCH_BUDGET:
        return False
    cursor.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {table(name)} ORDER BY id DESC LIMIT %s) recent",  # noqa: S608
        [RECENT_WINDOW],
    )
    return cursor.fetchone()[0] >= RECENT_WINDOW


def inverse_document_frequencies(name: str, stems: list[str], total: int, *, counted: bool = False) -> dict[str, float]:
    """How telling each stem is among ``total`` documents: rare stems weigh more than common ones
    (``counted``: of a counted index)."""
    if not stems:
        return {}
    keys = {stem: f"search-df:{name}:{stem}" for stem in stems}
    known = cache.get_many(keys.values())
    frequencies = {stem: known[key] for stem, key in keys.items() if key in known}
    missing = [stem for stem in stems if stem not in frequencies]
    if missing:
        found = (counted_frequencies if counted else document_frequencies)(name, missing)
        cache.set_many({keys[stem]: count for stem, count in found.items()}, DF_CACHE_SECONDS)
        frequencies.update(found)
    total = max(total, *frequencies.values(), 1)
    return {stem: math.log(1 + (total - frequencies[stem] + 0.5) / (frequencies[stem] + 0.5)) for stem in stems}


def document_frequencies(name: str, stems: list[str]) -> dict[str, int]:
    """How many documents hold each stem.

    The common stems' frequencies come from statistics refreshed after bulk writes and every
    night (see ``refresh_statistics``; on PostgreSQL, those ANALYZE samples): counting them exactly
    would read a large share of the index. The others are rare enough to count.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            placeholders = ", ".join(["%s"] * len(stems))
            cursor.execute(
                f"SELECT term, docs FROM {table(name)}_common WHERE term IN ({placeholders})",  # noqa: S608
                stems,
            )
            found = dict(cursor.fetchall())
            rare = [stem for stem in stems if stem not in found]
            if rare:
                placeholders = ", ".join(["%s"] * len(rare))
                cursor.execute(
                    f"SELECT term, doc FROM {table(name)}_vocab WHERE term IN ({placeholders})",  # noqa: S608
                    rare,
                )
                found.update(cursor.fetchall())
        else:
            common, sampled_total = _common_lexemes(name)
            found = {stem: round(common[stem] * sampled_total) for stem in stems if stem in common}
            for stem in stems:
                if stem not in found:
                    cursor.execute(
                        f"SELECT count(*) FROM {table(name)} WHERE vector @@ to_tsquery('simple', %s)",  # noqa: S608
                        [stem],
                    )
                    found[stem] = cursor.fetchone()[0]
    return {stem: found.get(stem, 0) for stem in stems}


def refresh_statistics() -> None:
    """Count again the common terms of every SQLite index (PostgreSQL's ANALYZE does its own)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'search\\_%' ESCAPE '\\'")
        tables = {name for (name,) in cursor.fetchall()}
        for common in sorted(name for name in tables if name.endswith("_common")):
            index = common.removesuffix("_common")
            cursor.execute(f"DELETE FROM {common}")  # noqa: S608
            if f"{index}_vocab" in tables:
                cursor.execute(
                    f"INSERT INTO {common} (term, docs) SELECT term, doc FROM {index}_vocab WHERE doc >= %s",  # noqa: S608
                    [COMMON_TERM_DOCS],
                )
            else:  # a counted index
                cursor.execute(
                    f"INSERT INTO {common} (term, docs) SELECT term, count(*) FROM {index}_counts "  # noqa: S608
                    "GROUP BY term HAVING count(*) >= %s",
                    [COMMON_TERM_DOCS],
                )


def _common_lexemes(name: str) -> tuple[dict[str, float], float]:
    """PostgreSQL's statistics of an index: {lexeme: share of documents holding it}, and the
    number of documents they were taken on (empty before the first ANALYZE)."""

    def read():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs, reltuples "
                "FROM pg_stats JOIN pg_class ON pg_class.relname = pg_stats.tablename "
                "WHERE tablename = %s AND attname = 'vector'",
                [table(name)],
            )
            row = cursor.fetchone()
        if row is None or row[0] is None:
            return {}, 0.0
        lexemes, frequencies, total = row
        # The frequencies end with three figures of their own (minimum, maximum, nulls).
        return dict(zip(lexemes, frequencies[: len(lexemes)], strict=True)), float(total)

    return cache.get_or_set(f"search-common:{name}", read, DF_CACHE_SECONDS)


def document_stems(name: str, doc_ids: list[int]) -> dict[int, tuple[set[str], set[str]]]:
    """The indexed stems of some documents: (title stems, body stems) by id."""
    if not doc_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(doc_ids))
    found = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT rowid, title, body FROM {table(name)} WHERE rowid IN ({placeholders})",  # noqa: S608
                doc_ids,
            )
            for doc_id, title, body in cursor.fetchall():
                found[doc_id] = (set(title.split()), set(body.split()))
        else:
            cursor.execute(
                f"SELECT id, tsvector_to_array(title_vector), tsvector_to_array(ts_filter(vector, '{{b}}')) "  # noqa: S608
                f"FROM {table(name)} WHERE id IN ({placeholders})",
                doc_ids,
            )
            for doc_id, title, body in cursor.fetchall():
                found[doc_id] = (set(title or ()), set(body or ()))
    return found


# Counted indexes: each document's stems with how often they come back, in a plain table, the
# same on both databases. For a few tens of thousands of documents ranked by those counts (one
# per member, see apprenance.questions.profiles): the engines above would score every document
# holding a common word to find the few that hold it most, and SQLite's BM25 favours the shortest.


def ensure_counted_index(name: str, using: str = "default") -> None:
    """Create a counted index's table if it is missing (after every migrate)."""
    from django.db import connections

    target = connections[using]
    counts = f"{table(name)}_counts"
    suffix = " WITHOUT ROWID" if target.vendor == "sqlite" else ""
    with target.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {counts} (doc bigint NOT NULL, term text NOT NULL, "
            f"occurrences integer NOT NULL, PRIMARY KEY (doc, term)){suffix}"
        )
        # The documents holding a stem most often, read from the top (``most_frequent``).
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {counts}_term ON {counts} (term, occurrences, doc)")
        if target.vendor == "sqlite":
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {table(name)}_common (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) "
                "WITHOUT ROWID"
            )


def count_terms(name: str, rows: list[tuple[int, str]]) -> None:
    """Index documents (id, text) in a counted index, replacing what it held for them."""
    analysed = {doc_id: Counter(analyse(text)) for doc_id, text in rows}
    uncount(name, list(analysed))
    values = [(doc_id, term, count) for doc_id, counts in analysed.items() for term, count in counts.items()]
    if not values:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(f"INSERT INTO {table(name)}_counts (doc, term, occurrences) VALUES (%s, %s, %s)", values)  # noqa: S608
        else:
            # One statement per batch: a row per statement would cost a round trip each.
            cursor.execute(
                f"INSERT INTO {table(name)}_counts (doc, term, occurrences) "  # noqa: S608
                "SELECT * FROM unnest(%s::bigint[], %s::text[], %s::integer[])",
                [list(column) for column in zip(*values, strict=True)],
            )


def _among(column: str, values: list) -> tuple[str, list]:
    """``column`` among many values: a list of parameters on SQLite, one array on PostgreSQL
    (psycopg takes longer to bind a thousand parameters than the query takes to run)."""
    if connection.vendor == "sqlite":
        return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)
    return f"{column} = ANY(%s)", [list(values)]


def uncount(name: str, doc_ids: list[int]) -> None:
    """Take documents out of a counted index."""
    if not doc_ids:
        return
    among, params = _among("doc", doc_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table(name)}_counts WHERE {among}", params)  # noqa: S608


def most_frequent(name: str, stems: list[str], *, limit: int) -> dict[int, dict[str, int]]:
    """For each stem, the ``limit`` documents holding it most often: their counts of the stems, by document."""
    stems = list(dict.fromkeys(stems))
    found: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            rows = []
            for stem in stems:
                cursor.execute(
                    f"SELECT %s, doc, occurrences FROM {table(name)}_counts WHERE term = %s "  # noqa: S608
                    "ORDER BY occurrences DESC, doc DESC LIMIT %s",
                    [stem, stem, limit],
                )
                rows += cursor.fetchall()
        else:
            # One round trip for every stem.
            cursor.execute(
                "SELECT stem, doc, occurrences FROM unnest(%s::text[]) stem, LATERAL ("  # noqa: S608
                f"SELECT doc, occurrences FROM {table(name)}_counts WHERE term = stem "
                "ORDER BY occurrences DESC, doc DESC LIMIT %s) best",
                [stems, limit],
            )
            rows = cursor.fetchall()
    for stem, doc_id, count in rows:
        found.setdefault(doc_id, {})[stem] = count
    return found


def term_counts(name: str, doc_ids: list[int], stems: list[str]) -> dict[int, dict[str, int]]:
    """How often each of the stems comes back in each document of a counted index (absent: none)."""
    if not doc_ids or not stems:
        return {}
    (docs, doc_params), (terms, term_params) = _among("doc", doc_ids), _among("term", stems)
    found: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT doc, term, occurrences FROM {table(name)}_counts WHERE {docs} AND {terms}",  # noqa: S608
            [*doc_params, *term_params],
        )
        for doc_id, term, count in cursor.fetchall():
            found.setdefault(doc_id, {})[term] = count
    return found


def counted_frequencies(name: str, stems: list[str]) -> dict[str, int]:
    """How many documents of a counted index hold each stem. As for ``document_frequencies``, the
    common stems' counts come from statistics (SQLite: kept by ``refresh_statistics``;
    PostgreSQL: ANALYZE's most common values); the others are rare enough to count."""
    if connection.vendor == "sqlite":
        terms, params = _among("term", stems)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT term, docs FROM {table(name)}_common WHERE {terms}", params)  # noqa: S608
            found = dict(cursor.fetchall())
    else:
        common, rows = _common_terms(name)
        found = {stem: round(common[stem] * rows) for stem in stems if stem in common}
    rare = [stem for stem in stems if stem not in found]
    if rare:
        terms, params = _among("term", rare)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT term, count(*) FROM {table(name)}_counts WHERE {terms} GROUP BY term", params)  # noqa: S608
            found.update(cursor.fetchall())
    return {stem: found.get(stem, 0) for stem in stems}


def _common_terms(name: str) -> tuple[dict[str, float], float]:
    """PostgreSQL's statistics of a counted index: {term: share of its rows}, and how many rows
    (a row per document holding the term); empty before the first ANALYZE."""

    def read():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_vals::text::text[], most_common_freqs, reltuples "
                "FROM pg_stats JOIN pg_class ON pg_class.relname = pg_stats.tablename "
                "WHERE tablename = %s AND attname = 'term'",
                [f"{table(name)}_counts"],
            )
            row = cursor.fetchone()
        if row is None or row[0] is None:
            return {}, 0.0
        terms, frequencies, rows = row
        return dict(zip(terms, frequencies, strict=True)), float(rows)

    return cache.get_or_set(f"search-common-terms:{name}", read, DF_CACHE_SECONDS)
