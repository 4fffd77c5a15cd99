#!/usr/bin/env python3
"""Draws the real-news gold sample from the livedoor news corpus.

Every article file of each of the nine categories is ranked by the SHA-256 of
SEED + its file name, and the first PER_CATEGORY of each category are taken:
a seeded random draw that anyone can repeat, with nothing picked by hand.
Within a category, the drawn articles alternate between the halves by rank
(ranks 0, 2, 4, ... tune; 1, 3, 5, ... test), so each half has five articles
of every category.

    python3 data/gold/livedoor/draw.py [CORPUS]     # prints: half<TAB>path

CORPUS defaults to ../shared/data/livedoor/text (relative to the repository).
"""
import hashlib
import sys
from pathlib import Path

SEED = "musubi-livedoor-gold-2026"
PER_CATEGORY = 10


def draw(corpus: Path):
    for category in sorted(p for p in corpus.iterdir() if p.is_dir()):
        files = [f for f in category.glob("*.txt") if f.name != "LICENSE.txt"]
        ranked = sorted(
            files,
            key=lambda f: hashlib.sha256((SEED + f.name).encode()).hexdigest(),
        )
        for rank, f in enumerate(ranked[:PER_CATEGORY]):
            yield ("tune" if rank % 2 == 0 else "test"), f


def main():
    root = Path(__file__).resolve().parents[3]
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared/data/livedoor/text"
    for half, f in draw(corpus):
        print(f"{half}\t{f.parent.name}/{f.name}")


if __name__ == "__main__":
    main()
