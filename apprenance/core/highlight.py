"""Matched words marked in search results: ``highlight(title, stems)``, ``snippet(body, stems)``.

Done in Python over the original text rather than by the database, so that both backends show
the same marks, on the words as the author wrote them.
"""

import functools
import html
import re

import nh3
from django.utils.safestring import SafeString, mark_safe

from apprenance.core.analysis import STOP_WORDS, stem
from apprenance.core.text import fold

WORD = re.compile(r"\w+")


def plain_text(markdown_text: str) -> str:
    """Markdown reduced to its words: markup characters and any HTML removed, spaces collapsed."""
    text = nh3.clean(markdown_text or "", tags=set())
    text = html.unescape(text)
    text = re.sub(r"[*_`#>|~\[\]]+|\]\([^)]*\)", " ", text)
    return " ".join(text.split())


@functools.lru_cache(maxsize=100_000)
def _token_stem(token: str) -> str:
    """The stem a word of the text is indexed under; "" for stop words (cached: words recur)."""
    folded = fold(token)
    return stem(folded) if len(folded) > 1 and folded not in STOP_WORDS else ""


def _matches(token: str, stems: frozenset[str]) -> bool:
    return _token_stem(token) in stems


def _marked(text: str, stems: frozenset[str]) -> str:
    parts, last = [], 0
    for match in WORD.finditer(text):
        if _matches(match.group(), stems):
            parts.append(html.escape(text[last : match.start()]))
            parts.append(f"<mark>{html.escape(match.group())}</mark>")
            last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def highlight(text: str, stems) -> SafeString:
    """The whole text, escaped, with every word whose stem was searched in ``<mark>``."""
    return mark_safe(_marked(text, frozenset(stems)))  # noqa: S308 -- every piece is escaped


def snippet(text: str, stems, length: int = 30) -> SafeString:
    """About ``length`` words of the text around its densest run of matches, marked; the start without matches."""
    stems = frozenset(stems)
    text = plain_text(text)
    tokens = list(WORD.finditer(text))
    if not tokens:
        return mark_safe("")
    hits = [index for index, token in enumerate(tokens) if stems and _matches(token.group(), stems)]
    start = 0
    if hits:
        # The window that holds the most matches, starting a few words before its first one.
        best = max(hits, key=lambda first: sum(1 for hit in hits if first <= hit < first + length))
        start = max(0, best - 5)
    end = min(len(tokens), start + length)
    begin_char = tokens[start].start() if start else 0
    end_char = tokens[end - 1].end() if end < len(tokens) else len(text)
    body = _marked(text[begin_char:end_char], stems)
    prefix = "… " if begin_char else ""
    suffix = " …" if end_char < len(text) else ""
    return mark_safe(prefix + body + suffix)  # noqa: S308 -- escaped in _marked
