"""Time a bare pdfplumber pass (open, extract_words, extract_tables on every page) against
read_source on the same PDFs.  Usage: python bench/pdf_bench.py [PDF ...]"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pdfplumber

from loaders.source import read_source

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "pdfs"


def bare(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.extract_tables()
            page.close()


def main(paths: list[Path]) -> None:
    totals = [0.0, 0.0]
    for path in paths:
        t0 = time.perf_counter()
        bare(path)
        t1 = time.perf_counter()
        source = read_source(path)
        t2 = time.perf_counter()
        totals[0] += t1 - t0
        totals[1] += t2 - t1
        print(f"{path.name:45s} pages={source.n_pages:3d} bare={t1 - t0:6.2f}s read_source={t2 - t1:6.2f}s")
    print(f"{'total':45s}            bare={totals[0]:6.2f}s read_source={totals[1]:6.2f}s")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or sorted(DEFAULT.glob("*.pdf")))
