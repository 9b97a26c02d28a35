"""``loaders check`` over the shared documents (corpus, PDFs, seeds) gives the build's checks
exactly: the build reads each document's parsed lines, the check the stored ``lines`` rows."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from loaders.build import build, recheck
from loaders.schema import dataset_path

from .conftest import ROOT

SHARED = ROOT.parent / "shared"
SOURCES = [p for p in (SHARED / "corpus", SHARED / "pdfs") if p.exists()]


@pytest.mark.skipif(not SOURCES, reason="../shared/corpus and ../shared/pdfs absent: only the seeds are checked")
def test_check_equals_the_builds_checks_over_the_shared_documents(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([*SOURCES, ROOT / "data" / "raw"], out)
    built = pq.read_table(dataset_path(out, "checks"))
    assert built.num_rows > 1000
    assert recheck(out).equals(built)
