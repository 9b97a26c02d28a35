"""Shared fixtures: where the seeds and the shared PDFs are."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from loaders.build import LoadedDocument, load_document

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED_PDFS = ROOT.parent / "shared" / "pdfs"

SEEDS = {
    "hanyang": RAW / "wuhan-hanyang-housing-2023-final-accounts.txt",
    "urumqi": RAW / "urumqi-housing-2023-final-accounts.txt",
    "yueyang": RAW / "yueyang-housing-security-2023-performance-self-eval.txt",
    "handan": RAW / "handan-housing-2022-budget.txt",
    "miluo": RAW / "miluo-housing-2023-performance-self-eval.txt",
}


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    return SEEDS


def shared_pdf(name: str) -> Path:
    """A PDF from ../shared/pdfs, or a visible skip where that folder is absent."""
    path = SHARED_PDFS / name
    if not path.exists():
        pytest.skip(f"../shared/pdfs/{name} not present (shared PDFs live beside the project, not in it)")
    return path


@cache
def loaded_seed(key: str) -> LoadedDocument:
    """A seed parsed once per session (the modules that read a seed share it; read-only)."""
    return load_document(SEEDS[key])


def assert_same_datasets(a: Path, b: Path, ignore: dict[str, tuple[str, ...]] | None = None) -> None:
    """Every dataset of two output folders equal, row for row (``ignore``: columns left out, by
    dataset)."""
    import pyarrow.parquet as pq

    from loaders.schema import DATASETS, dataset_path

    for name in DATASETS:
        ta, tb = (pq.read_table(dataset_path(d, name)) for d in (a, b))
        drop = list((ignore or {}).get(name, ()))
        assert ta.drop_columns(drop).equals(tb.drop_columns(drop)), name
