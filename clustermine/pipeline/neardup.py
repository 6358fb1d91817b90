"""Near-duplicate detection with MinHash over word shingles and banded LSH.

Council archives and project sites are full of the same text filed twice: a report published by two bodies, a
Vorlage and its Neufassung, the same paper attached to two meetings. Researchers want those linked so results and
exports can collapse them. MinHash estimates the Jaccard similarity of two documents' 5-word shingle sets from
fixed-size signatures, and LSH banding finds candidate pairs without comparing every pair.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

SHINGLE_WORDS = 5
NUM_PERM = 120
BANDS = 20  # 20 bands x 6 rows: pairs with Jaccard above ~0.6 become candidates
ROWS = NUM_PERM // BANDS
MIN_SHINGLES = 20  # shorter texts give unreliable estimates and are not linked

#: Similarity at or above which two documents are linked, and above which they count as duplicates rather than
#: versions of each other.
LINK_THRESHOLD = 0.6
DUPLICATE_THRESHOLD = 0.9

_rng = np.random.default_rng(20130410)  # fixed seed: signatures must be comparable across runs and versions
# Multiply-shift hashing (a * x + b mod 2^64, upper 32 bits) with odd random 64-bit a: a universal family that
# mixes well even for consecutive inputs, computed with numpy's wrapping uint64 arithmetic.
_A = _rng.integers(0, np.iinfo(np.uint64).max, size=NUM_PERM, dtype=np.uint64, endpoint=True) | np.uint64(1)
_B = _rng.integers(0, np.iinfo(np.uint64).max, size=NUM_PERM, dtype=np.uint64, endpoint=True)
_SHIFT = np.uint64(32)
_CHUNK = 8192
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Signature:
    """A document's MinHash signature and its LSH buckets (band number, bucket hash)."""

    values: np.ndarray

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint64))

    def buckets(self) -> list[tuple[int, int]]:
        out = []
        for band in range(BANDS):
            chunk = self.values[band * ROWS : (band + 1) * ROWS].astype("<u4").tobytes()
            out.append((band, zlib.crc32(chunk)))
        return out

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        return float(np.mean(self.values == other.values))


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """Hashes of the overlapping ``size``-word sequences of the lower-cased text."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)}


def signature(text: str) -> Signature | None:
    """The MinHash signature of ``text``, or None when the text is too short to compare meaningfully."""
    hashed = shingles(text)
    if len(hashed) < MIN_SHINGLES:
        return None
    values = np.fromiter(hashed, dtype=np.uint64, count=len(hashed))
    minima = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(values), _CHUNK):  # chunks keep memory flat for book-length documents
        chunk = values[start : start + _CHUNK]
        permuted = (np.outer(_A, chunk) + _B[:, None]) >> _SHIFT
        np.minimum(minima, permuted.min(axis=1), out=minima)
    return Signature(minima)


def link_kind(similarity: float) -> str | None:
    """``duplicate`` (practically the same text), ``version`` (an amended or re-filed copy), or None."""
    if similarity >= DUPLICATE_THRESHOLD:
        return "duplicate"
    if similarity >= LINK_THRESHOLD:
        return "version"
    return None
