"""French text analysis shared by every search backend: fold, tokenise, drop stop words, stem.

Documents and queries go through the same function, on SQLite and PostgreSQL alike, so both
databases match exactly the same words. Accents are folded *before* stemming on both sides:
``reunion`` and ``réunions`` then reach the same stem (stemming accented text first breaks that).
"""

import functools
import re

import Stemmer

from apprenance.core.text import fold

# Words (letters and digits) after folding; apostrophes and hyphens split words, so that
# « d’équipe » gives « equipe » and « bien-être » gives « bien » and « etre ».
WORD = re.compile(r"[0-9a-z]+")

# The Snowball project's French stop words, folded, plus the elided forms (l’, d’, qu’…).
STOP_WORDS = frozenset(
    " ".join(
        [
            "au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me meme ",
            "mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton ",
            "tu un une vos votre vous c d j l a m n s t y ete etee etees etes etant etante etants etantes ",
            "suis es est sommes sont serai seras sera serons serez seront serais serait serions seriez ",
            "seraient etais etait etions etiez etaient fus fut fumes futes furent sois soit soyons soyez ",
            "soient fusse fusses fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as ",
            "avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions auriez auraient avais ",
            "avait avions aviez avaient eut eumes eutes eurent aie aies ait ayons ayez aient eusse eusses ",
            "eussions eussiez eussent ceci cela cet cette ici leurs quel quels quelle quelles sans soi ",
        ]
    ).split()
)

_stemmer = Stemmer.Stemmer("french")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one folded word (cached: the same words come back all the time)."""
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """The folded words of a text that carry meaning (stop words and single letters dropped)."""
    return [word for word in WORD.findall(fold(text)) if len(word) > 1 and word not in STOP_WORDS]


def analyse(text: str) -> list[str]:
    """The stems a text is indexed or searched under, in order, repeats kept."""
    return [stem(word) for word in words(text)]


def query_stems(text: str) -> list[str]:
    """The distinct stems of a query, in the order typed; empty for stop words or punctuation only."""
    return list(dict.fromkeys(analyse(text)))


# How a question starts, not what it is about: « Comment… », « Comment fais-tu pour… »,
# « Des idées pour… ». A search typed as a question is read without it (bench/search_quality:
# paraphrases asked « Comment … ? » lost a tenth of their MRR to the word « comment »).
ASKING = re.compile(
    r"^\W*(comment|des id[ée]es|une id[ée]e|des conseils|des astuces|quel(le)?s? (id[ée]es|solutions|pratiques))"
    r"([ -](faire|fais-tu|faites-vous|fait-on|on fait))?( pour)?(?!\w)[\s:,]*",
    re.IGNORECASE,
)


# ... and how one often ends: « Nos réunions s’éternisent, que faire ? », « …, des idées ? ».
ASKING_AT_THE_END = re.compile(
    r"[\s,:;—-]*\b(que faire|comment faire|comment faites-vous|des id[ée]es|une id[ée]e|vos id[ée]es|des conseils)"
    r"\s*[?!.…]*\s*$",
    re.IGNORECASE,
)


def without_asking(text: str) -> str:
    """``text`` without the words it opens or closes a question with; unchanged if nothing else is left."""
    rest = ASKING_AT_THE_END.sub("", ASKING.sub("", text, count=1)).strip()
    return rest if re.search(r"\w", rest) else text
