"""Datasets built once per test session for the budget tests: the five seeds, and the seeds with a
department's budgets of three years (../shared/corpus, skipped visibly where it is absent)."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import pytest

from loaders.build import build
from loaders.schema import write_datasets
from tests.conftest import RAW, ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
# One Jiangsu department's budget tables, 2017–2019 (one small file per year).
MULTI_YEAR = [f"jiangsu-cpcoffice-{y}-budget-tables.pdf" for y in (2017, 2018, 2019)]


def _build(paths: list[Path], prefix: str) -> Path:
    """The datasets of ``paths`` in a fresh folder (parsed in this process; no store kept)."""
    out = Path(tempfile.mkdtemp(prefix=prefix))
    write_datasets(build(paths, out, write=False, jobs=1).tables, out)
    return out


@cache
def seeds() -> Path:
    return _build([RAW], "budget-seeds-")


@cache
def _multi_year() -> Path | None:
    files = [CORPUS / name for name in MULTI_YEAR]
    if not all(p.exists() for p in files):
        return None
    return _build([RAW, *files], "budget-years-")


def multi_year() -> Path:
    """The seeds and the three budgets of 中共江苏省委办公厅 (2017, 2018, 2019)."""
    out = _multi_year()
    if out is None:
        pytest.skip("../shared/corpus not present (the corpus lives beside the project, not in it)")
    return out
