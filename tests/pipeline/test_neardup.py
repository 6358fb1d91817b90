"""MinHash near-duplicates: identical and amended texts link, unrelated texts do not."""

from __future__ import annotations

import random

from clustermine.pipeline.neardup import Signature, link_kind, signature

WORDS = [
    "Cluster", "Förderung", "Region", "Kreis", "Stadt", "Wirtschaft", "Innovation", "Netzwerk",
    "Unternehmen", "Projekt", "Gesundheit", "Logistik", "Energie", "Beschluss", "Ausschuss", "Verwaltung",
    "Strukturwandel", "Kompetenzfeld", "Mittel", "Programm", "Hochschule", "Transfer",
]


def text(seed: int, n: int = 400) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randint(0, 50)) for _ in range(n))


def test_identical_texts_are_duplicates() -> None:
    a = signature(text(1))
    assert a is not None and link_kind(a.similarity(signature(text(1)))) == "duplicate"


def test_amended_text_is_a_version() -> None:
    base = text(2).split()
    amended = base[:]
    for i in range(0, len(amended), 40):  # change one word in every 40
        amended[i] = "geändert"
    sim = signature(" ".join(base)).similarity(signature(" ".join(amended)))
    assert 0.6 <= sim < 0.95
    assert link_kind(sim) in {"version", "duplicate"}


def test_unrelated_texts_do_not_link() -> None:
    sim = signature(text(3)).similarity(signature(text(4)))
    assert link_kind(sim) is None


def test_short_texts_get_no_signature() -> None:
    assert signature("Kurzer Text ohne viel Inhalt") is None


def test_signature_round_trips_and_buckets_are_stable() -> None:
    sig = signature(text(5))
    again = Signature.from_bytes(sig.to_bytes())
    assert again.similarity(sig) == 1.0
    assert again.buckets() == sig.buckets() == signature(text(5)).buckets()


def test_estimate_tracks_true_jaccard() -> None:
    """Overlapping word ranges: the MinHash estimate must stay close to the exact Jaccard similarity."""
    from clustermine.pipeline.neardup import shingles

    for shift in (50, 100, 200, 300):
        a = " ".join(f"wort{i}" for i in range(1000, 1600))
        b = " ".join(f"wort{i}" for i in range(1000 + shift, 1600 + shift))
        exact = len(shingles(a) & shingles(b)) / len(shingles(a) | shingles(b))
        assert abs(signature(a).similarity(signature(b)) - exact) < 0.12
