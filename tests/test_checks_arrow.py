"""The rule engine over Arrow tables (as the build runs it) equals the engine over the same
datasets read into pandas (as tests and older callers run it), row for row."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

from loaders.build import load_document
from loaders.checks import run_checks
from loaders.checks.core import Context, arrow_records
from loaders.checks.locate import figure_ref
from loaders.checks.stored import stored_documents
from loaders.entry import tables_of
from loaders.loaded import document_rows
from loaders.schema import DATASETS
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seed_tables() -> list[dict[str, pa.Table]]:
    out = []
    for path in SEEDS.values():
        if path.exists():
            tables = tables_of(document_rows(load_document(path)))
            out.append({n: tables[n] for n in DATASETS if n != "checks"})
    if not out:
        pytest.skip("no seed documents here")
    return out


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def test_arrow_records_are_the_pandas_records(seed_tables):
    for tables in seed_tables:
        arrow, frames = Context(tables, {}), Context({n: t.to_pandas() for n, t in tables.items()}, {})
        for name in tables:
            if name == "documents":  # its warnings list is an array in pandas; no rule reads it
                continue
            a, p = arrow.records(name), frames.records(name)
            assert len(a) == len(p), name
            for ra, rp in zip(a, p, strict=True):
                assert ra.keys() == rp.keys(), name
                assert all(_same(ra[k], rp[k]) for k in ra), (name, ra, rp)


def test_integer_column_with_a_gap_reads_as_floats_like_pandas():
    t = pa.table({"level": pa.array([3, None], pa.int8()), "x": pa.array([1.5, float("nan")])})
    assert arrow_records(t) == [{"level": 3.0, "x": 1.5}, {"level": None, "x": None}]
    assert isinstance(arrow_records(t)[0]["level"], float)


def test_checks_over_arrow_equal_checks_over_pandas(seed_tables):
    for tables in seed_tables:
        frames = {n: t.to_pandas() for n, t in tables.items()}
        assert run_checks(tables, stored_documents(tables), scope="disclosure") == \
            run_checks(frames, stored_documents(frames), scope="disclosure")


def test_figure_ref_word_then_figure_from_the_row_line():
    from loaders.readers.source import Source, lines_from_text

    text = "表头\n项目A\n其他\n总分\t100\t95.5\n尾"
    source = Source(None, "txt", "x", lines_from_text(text))
    ctx = Context({}, {"d": type("D", (), {"source": source})()})
    assert figure_ref(ctx, "d", "L2", [("总分", "综合得分"), 95.5]) == "L4"
    assert figure_ref(ctx, "d", "L2", [("不在",), 95.5]) == "L2"  # not found: the row's own line
    assert figure_ref(ctx, "d", "L2", [("总分",), 95.5], window=2) == "L2"  # beyond the window
