"""French synonyms from the LibreOffice thesaurus (Debian's ``mythes-fr``, installed by ``make install``).

Members search in their own words (« épuisement ») for practices written in others'
(« surmenage », « fatigue »). A thesaurus mixes every sense of a word (« souder » : « braser »,
« unir », « fédérer »…), so synonyms only ever count for part of the word itself.

Headwords are found by stem, so that « blessures » finds « blessure », but a stem gathers words
of different senses (« conserver », « conservateur »): the headword closest to the word typed
gives its synonyms first.
"""

import functools
import json
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings

from apprenance.core.analysis import STOP_WORDS, stem
from apprenance.core.text import fold

logger = logging.getLogger(__name__)


# Bumped when what the cache holds changes shape.
CACHE_VERSION = 2


@functools.cache
def synonyms_by_stem() -> dict[str, dict[str, tuple[str, ...]]]:
    """Stem of a folded headword → {folded headword: its folded one-word synonyms}, each list in
    the thesaurus's order (its closest senses come first).

    Reading the thesaurus takes seconds; what it boils down to is kept under var/cache/ and
    read back in a fraction of that by every later process.
    """
    path = Path(settings.THESAURUS_PATH)
    if not path.exists():
        logger.warning("French thesaurus not found at %s: search goes on without synonyms", path)
        return {}
    stat = path.stat()
    cache = Path(settings.VAR_DIR) / "cache" / f"thesaurus-v{CACHE_VERSION}-{stat.st_size}-{int(stat.st_mtime)}.json"
    if cache.exists():
        stored = json.loads(cache.read_text(encoding="utf-8"))
        return {key: {word: tuple(words) for word, words in entries.items()} for key, entries in stored.items()}
    found = _read(path)
    cache.parent.mkdir(parents=True, exist_ok=True)
    # Written aside then renamed: parallel processes never read half a file.
    handle, temporary = tempfile.mkstemp(dir=cache.parent, suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(found, file, ensure_ascii=False)
    os.replace(temporary, cache)
    return found


def _read(path: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    found: dict[str, dict[str, dict[str, None]]] = {}
    headword_stem = headword = None
    with path.open(encoding="utf-8", errors="replace") as lines:
        next(lines, None)  # the encoding line
        for line in lines:
            fields = line.rstrip("\n").split("|")
            if not line.startswith("("):
                headword = fold(fields[0])
                headword_stem = stem(headword) if " " not in headword else None
                continue
            if headword_stem is None:
                continue
            words = found.setdefault(headword_stem, {}).setdefault(headword, {})
            for synonym in fields[1:]:
                synonym = fold(synonym.strip())
                if synonym and " " not in synonym and "-" not in synonym and synonym not in STOP_WORDS:
                    words[synonym] = None
    return {key: {word: tuple(words) for word, words in entries.items()} for key, entries in found.items()}


def _closeness(word: str, headword: str) -> tuple[int, int]:
    """Orders headwords sharing a stem: the longest common start with the word, then the nearest length."""
    shared = next(
        (i for i, (a, b) in enumerate(zip(word, headword, strict=False)) if a != b), min(len(word), len(headword))
    )
    return (-shared, abs(len(headword) - len(word)))


def synonyms(word: str) -> tuple[str, ...]:
    """Folded synonyms of a folded word, whatever its inflection (« enerves » → « agaces », « irrites »…)."""
    entries = synonyms_by_stem().get(stem(word), {})
    ordered = sorted(entries, key=lambda headword: _closeness(word, headword))
    found = dict.fromkeys(synonym for headword in ordered for synonym in entries[headword] if synonym != word)
    return tuple(found)
