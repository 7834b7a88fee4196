"""The natural first version of search, measured beside ours to calibrate the development sets.

Issue 4 gives the scores of a plain SQLite FTS5 index over accent-folded, Snowball-stemmed text on
its held-out set (nDCG@5 0.67, MRR@10 0.81, paraphrases' MRR 0.52), and issue 5 those of BM25 over
each member's practices on its held-out network (a right expert first for 53 % of questions, 76 %
of the best possible precision@3). The same baselines on our sets say how hard they are next to
those: a set on which they score far lower is harder, and its gap to a target means less.

Both rank with FTS5's bm25 over the stems of ``apprenance.core.analysis`` (the ones our search
indexes), any of the query's words matching: requiring all of them finds nothing for most
paraphrases. No Django: an in-memory SQLite database from the standard library.
"""

import sqlite3
from collections.abc import Callable, Iterable, Mapping

from apprenance.core.analysis import analyse, query_stems

BODY_FIELDS = ("context", "what_we_did", "results", "difficulties")
LIMIT = 10


def practice_text(practice: Mapping) -> tuple[str, str]:
    """A dev-set practice's title and body (its fields, tags and skills)."""
    body = [str(practice.get(name) or "") for name in BODY_FIELDS]
    body.extend([*practice.get("tags", []), *practice.get("skills", [])])
    return practice["title"], " ".join(body)


def _bm25_search(rows: Iterable[tuple[str, str, str]]) -> Callable[[str], list[str]]:
    """text → keys of ``rows`` (key, title, body), best first, by bm25 over both fields weighted alike."""
    database = sqlite3.connect(":memory:")
    database.execute("CREATE VIRTUAL TABLE document USING fts5(key UNINDEXED, title, body)")
    database.executemany(
        "INSERT INTO document VALUES (?, ?, ?)",
        ((key, " ".join(analyse(title)), " ".join(analyse(body))) for key, title, body in rows),
    )

    def search(text: str) -> list[str]:
        stems = query_stems(text)
        if not stems:
            return []
        match = " OR ".join(f'"{stem}"' for stem in stems)
        found = database.execute(
            "SELECT key FROM document WHERE document MATCH ? ORDER BY bm25(document) LIMIT ?", (match, LIMIT)
        )
        return [key for (key,) in found]

    return search


def practices_search(practices: Iterable[Mapping]) -> Callable[[str], list[str]]:
    """text → refs of the practices, best first: bm25 over their title and body."""
    return _bm25_search((practice["ref"], *practice_text(practice)) for practice in practices)


def members_search(texts_by_member: Mapping[str, list[str]]) -> Callable[[str], list[str]]:
    """text → members, best first: bm25 over each member's practices read as one document."""
    return _bm25_search((email, "", " ".join(texts)) for email, texts in texts_by_member.items())
