"""A large generated corpus for the scale benchmarks: realistic German council material with planted drift.

What makes a corpus realistic for *speed* is its vocabulary: how many word types there are, how they are
distributed, and how many are new compounds (each new long word type costs a compound split, and the index grows
with the vocabulary). ``tools/driftgen`` writes well-formed documents with planted term and topic drift but
from a few hundred sentence templates (a few thousand word types for any corpus size). This generator keeps
driftgen's documents (title, genre, date, sections, planted terms and topics; each a few hundred words) and
fills them up to the target length with paragraphs of real sentences, taken from the Karlsruhe council texts in
``../shared`` when present (else from the demo sources), so that word frequencies are those of our material.
Because a corpus of 60 million words has far more word types than any sentence pool, new German compounds are
coined along the way (a noun of the pool as modifier, with its linking element, plus a noun as head:
"Radverkehrsförderprogramm"), a few per document, some reused later, so that the vocabulary keeps growing
roughly as Heaps' law says it does in real archives (about 0.9 million types at 60 million words).

Output: ``OUT/docs/NNN/doc-NNNNNN.txt`` (folders of 1,000 files) and ``OUT/manifest.jsonl`` (file, date, doctype,
topic, words of each document). Deterministic for the same arguments and sources. Nothing is copied into the
repository: the sentences are read at run time.

Usage: python bench/gen_large.py OUT [--docs 100000] [--seed 0] [--words 420 700] [--source DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools import driftgen  # noqa: E402

KARLSRUHE = ROOT.parent / "shared" / "karlsruhe" / "files"
DEMO_SOURCES = ROOT / "demo" / "sources"

#: Documents per driftgen call (all years, 1995-2025, each call with its own seed).
BLOCK = 2000
#: Sentences kept in the pool at most (memory stays around 50 MB).
POOL_LIMIT = 300_000
#: New compounds coined per document (mean), and earlier coinages reused per document (mean).
COIN_RATE = 5.0
REUSE_RATE = 4.0

_HYPHEN_BREAK = re.compile(r"(?<=[a-zäöüß])-[ \t]*\n[ \t]*(?=[a-zäöüß])")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_SPACE = re.compile(r"\s+")
_SENTENCE = re.compile(r"(?<=[a-zäöüß0-9)][.!?])\s+(?=[A-ZÄÖÜ„])")
_WORD = re.compile(r"[^\W\d_]+")
_NOUN = re.compile(r"(?<=[a-zäöüß,] )[A-ZÄÖÜ][a-zäöüß]{5,13}\b")
_S_LINK = ("ung", "heit", "keit", "schaft", "tion", "tät", "ling", "tum", "ion")


@dataclass(frozen=True)
class Summary:
    documents: int
    words: int
    megabytes: float
    coined: int
    pool_sentences: int
    seconds: float


# -- the sentence pool ----------------------------------------------------------------------------------------


def prose_sentences(text: str) -> Iterator[str]:
    """Sentences of running prose in an extracted text: hyphenated line breaks joined, form fields, tables,
    headers and fragments left out."""
    text = _HYPHEN_BREAK.sub("", text)
    for paragraph in _PARAGRAPH.split(text):
        flat = _SPACE.sub(" ", paragraph).strip()
        if len(flat) < 40:
            continue
        for sentence in _SENTENCE.split(flat):
            if _is_prose(sentence):
                yield sentence


def _is_prose(sentence: str) -> bool:
    words = sentence.split(" ")
    if not 6 <= len(words) <= 45 or sentence[-1] not in ".!?" or not sentence[0].isupper():
        return False
    if any(mark in sentence for mark in ("...", "__", "|", "\t", "☐", "☒")):
        return False
    letters = sum(ch.isalpha() for ch in sentence)
    return letters >= 0.75 * (len(sentence) - len(words) + 1)


def sentence_pool(source: Path | None, limit: int = POOL_LIMIT, seed: int = 0) -> list[str]:
    """Distinct prose sentences from the files in ``source`` (and the demo sources), in a fixed order."""
    files = sorted(DEMO_SOURCES.glob("*.txt"))
    if source is not None and source.is_dir():
        files += sorted(p for p in source.iterdir() if p.is_file())
    seen: dict[str, None] = {}
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.parent == DEMO_SOURCES:
            text = text.partition("\n---\n")[2]
        for sentence in prose_sentences(text):
            seen.setdefault(sentence, None)
    pool = list(seen)
    if len(pool) > limit:
        pool = Random(seed).sample(pool, limit)
    return pool


def noun_inventory(pool: list[str]) -> tuple[list[str], list[str]]:
    """Modifiers and heads for coining compounds: capitalised words in mid-sentence (nouns), seen three times
    or more (so they are words, not typos); modifiers without plural or genitive endings."""
    counts: Counter[str] = Counter()
    for sentence in pool:
        counts.update(_NOUN.findall(sentence))
    nouns = sorted(word for word, n in counts.items() if n >= 3 and word.isalpha())
    modifiers = [word for word in nouns if not word.endswith(("en", "ern", "s"))]  # no plurals or genitives
    heads = [word for word in nouns if not word.endswith("s")]
    return modifiers, heads


# -- documents ------------------------------------------------------------------------------------------------


class Coiner:
    """New compounds, a few per document, some of them used again later (new words recur, as in real text)."""

    def __init__(self, rng: Random, modifiers: list[str], heads: list[str]) -> None:
        self.rng = rng
        self.modifiers = modifiers
        self.heads = heads
        self.coined: list[str] = []
        self.known: set[str] = set()

    def coin(self) -> str:
        for _ in range(20):
            modifier, head = self.rng.choice(self.modifiers), self.rng.choice(self.heads)
            if modifier == head:
                continue
            link = "s" if modifier.endswith(_S_LINK) else ""
            word = modifier + link + head.lower()
            if word not in self.known:
                self.known.add(word)
                self.coined.append(word)
                return word
        return self.rng.choice(self.coined) if self.coined else self.rng.choice(self.heads)

    def words_for(self, rng: Random) -> list[str]:
        """The compounds one document uses: new ones and earlier ones."""
        new = [self.coin() for _ in range(_poisson(rng, COIN_RATE))]
        old = [rng.choice(self.coined) for _ in range(_poisson(rng, REUSE_RATE))] if self.coined else []
        return new + old


def _poisson(rng: Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; the means here are small)."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def fill(rng: Random, text: str, target: int, pool: list[str], compounds: list[str]) -> str:
    """``text`` (a driftgen document) with paragraphs of pool sentences added after its head, up to ``target``
    words, and ``compounds`` put in place of nouns of those sentences."""
    blocks = text.rstrip("\n").split("\n\n")
    have = len(driftgen.tokenize(text))
    paragraphs: list[str] = []
    while have < target:
        sentences = [rng.choice(pool) for _ in range(rng.randint(3, 6))]
        have += sum(len(s.split(" ")) for s in sentences)
        paragraphs.append(" ".join(sentences))
    for word in compounds:
        if not paragraphs:
            break
        k = rng.randrange(len(paragraphs))
        nouns = list(_NOUN.finditer(paragraphs[k]))
        if nouns:
            match = rng.choice(nouns)
            paragraphs[k] = paragraphs[k][: match.start()] + word + paragraphs[k][match.end() :]
    head = 2 if len(blocks) > 3 else 1
    for paragraph in paragraphs:
        blocks.insert(rng.randint(head, len(blocks)), paragraph)
    return "\n\n".join(blocks) + "\n"


def generate(out: Path, docs: int, *, seed: int = 0, words: tuple[int, int] = (420, 700),
             source: Path | None = KARLSRUHE, progress: bool = True) -> Summary:
    """Write ``docs`` documents to ``out`` (see the module docstring); returns what was written."""
    started = time.perf_counter()
    pool = sentence_pool(source, seed=seed)
    modifiers, heads = noun_inventory(pool)
    rng = Random(seed)
    coiner = Coiner(Random(seed + 1), modifiers, heads)
    years = (1995, 2025)
    n_years = years[1] - years[0] + 1
    target_dir = out / "docs"
    if target_dir.exists():
        shutil.rmtree(target_dir)
    target_dir.mkdir(parents=True)
    written = total_words = total_bytes = 0
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as manifest, \
            tempfile.TemporaryDirectory(prefix="gen-large-") as scratch:
        block = 0
        while written < docs:
            per_year = math.ceil(min(BLOCK, docs - written) / n_years)
            truth = driftgen.generate(Path(scratch), seed=seed * 1000 + block, years=years,
                                      docs_per_year=per_year, words_per_doc=(150, 280))
            block += 1
            for record in truth.documents:
                if written >= docs:
                    break
                text = (Path(scratch) / record.file).read_text(encoding="utf-8")
                text = fill(rng, text, rng.randint(*words), pool, coiner.words_for(rng))
                name = f"{written // 1000:03d}/doc-{written:06d}.txt"
                path = target_dir / name
                path.parent.mkdir(exist_ok=True)
                data = text.encode("utf-8")
                path.write_bytes(data)
                n_words = len(driftgen.tokenize(text))
                manifest.write(json.dumps({"file": f"docs/{name}", "date": record.date, "doctype": record.doctype,
                                           "topic": record.topic, "words": n_words}, ensure_ascii=False) + "\n")
                written += 1
                total_words += n_words
                total_bytes += len(data)
            if progress:
                print(f"\r{written:,} documents, {total_words / 1e6:.1f} M words", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return Summary(written, total_words, round(total_bytes / 1e6, 1), len(coiner.coined), len(pool),
                   round(time.perf_counter() - started, 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="Example: python bench/gen_large.py /tmp/large --docs 20000")
    parser.add_argument("out", type=Path, help="output folder (documents in OUT/docs, list in OUT/manifest.jsonl)")
    parser.add_argument("--docs", type=int, default=100_000, help="number of documents (default 100,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--words", type=int, nargs=2, default=(420, 700), metavar=("MIN", "MAX"),
                        help="words per document (default 420 700: about 60 M words for 100,000 documents)")
    parser.add_argument("--source", type=Path, default=KARLSRUHE,
                        help="folder of real texts whose sentences fill the documents (default: the Karlsruhe "
                             "texts in ../shared; the demo sources alone when absent)")
    args = parser.parse_args(argv)
    summary = generate(args.out, args.docs, seed=args.seed, words=tuple(args.words), source=args.source)
    print(json.dumps(summary.__dict__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
