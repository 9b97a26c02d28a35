"""Splicing row groups, property-tested: any selection of row groups, in any order, read back
as the concatenation of those rows; and a file spliced from a spliced file's own footer (as
the next incremental build does from the footers the last one kept) is the same as one
spliced from its decoded footer."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.splice import ParquetParts, splice

SIZES = st.lists(st.integers(min_value=1, max_value=300), min_size=1, max_size=6)


SCHEMA = pa.schema([("doc_id", pa.string()), ("line", pa.int32()), ("text", pa.string()), ("amount", pa.float64())])


def _table(n: int, salt: int) -> pa.Table:
    return pa.table({
        "doc_id": [f"d{(i + salt) % 5}" for i in range(n)],
        "line": pa.array(range(n), pa.int32()),
        "text": [None if (i + salt) % 7 == 0 else f"第{i + salt}行，" * ((i % 4) + 1) for i in range(n)],
        "amount": [float(i) / 3 if i % 2 else None for i in range(n)],
    }, schema=SCHEMA)


def _write(path: Path, sizes: list[int], salt: int) -> list[pa.Table]:
    parts = [_table(n, salt + k) for k, n in enumerate(sizes)]
    with pq.ParquetWriter(path, parts[0].schema) as writer:
        for t in parts:
            writer.write_table(t, row_group_size=t.num_rows)
    return parts


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a_sizes=SIZES, b_sizes=SIZES, data=st.data())
def test_any_selection_of_row_groups_reads_back_as_their_rows(tmp_path: Path, a_sizes, b_sizes, data) -> None:
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    rows = {"a": _write(a, a_sizes, 0), "b": _write(b, b_sizes, 100)}
    picks = data.draw(st.lists(st.tuples(st.sampled_from("ab"), st.integers(min_value=0, max_value=5)),
                               min_size=1, max_size=8))
    picks = [(f, i % len(rows[f])) for f, i in picks]
    once, twice = tmp_path / "once.parquet", tmp_path / "twice.parquet"
    with ParquetParts(a) as pa_, ParquetParts(b) as pb:
        footer = splice(once, [({"a": pa_, "b": pb}[f], i) for f, i in picks])
    expected = pa.concat_tables([rows[f][i] for f, i in picks])
    assert pq.read_table(once).equals(expected)
    # Again from the spliced file, once through the footer splice returned, once decoded.
    order = data.draw(st.permutations(range(len(picks))))
    with ParquetParts(once, footer) as kept:
        splice(twice, [(kept, j) for j in order])
    decoded = tmp_path / "decoded.parquet"
    with ParquetParts(once) as read:
        splice(decoded, [(read, j) for j in order])
    assert twice.read_bytes() == decoded.read_bytes()
    assert pq.read_table(twice).equals(pa.concat_tables([rows[picks[j][0]][picks[j][1]] for j in order]))
