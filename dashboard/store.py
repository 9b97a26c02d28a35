"""The store the pages query (pure: no Streamlit here): DuckDB views over the parquet datasets.

Parquet stays the interface (../shared/DATA_CONTRACT.md). A ``Store`` opens one in-memory DuckDB
connection with one view per dataset, applying the dashboard's reading rules (dashboard/data.py):
a 申报表's plan (origin ``declaration``) is not among ``projects`` / ``indicators``; rows of
``budget_lines`` / ``sangong`` derived from a stated change are apart, in ``<name>__derived``.
Filters and aggregations run in DuckDB; only what a page shows comes into pandas.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from loaders.schema import DATASETS, SCHEMAS, dataset_path

# What the pages show of projects and indicators: the self-evaluations. A 申报表's plan
# (origin ``declaration``) has no actual and no score, and would be counted twice beside them.
SELF_EVALUATED = ("projects", "indicators")
# Figures the pages draw as printed. A prior-year figure derived from a stated change
# (origin ``derived``) is arithmetic on the document's words: it is kept apart and shown only
# with its mark beside the change from ``stated_changes``.
PRINTED_ONLY = ("budget_lines", "sangong")
DERIVED = "__derived"
# The key columns a selection narrows on (every fact dataset carries them; ``lines`` only doc_id).
KEYS = ("entity_id", "year", "doc_kind")
ROW = "file_row_number"


def stamp(directory: Path | str) -> tuple:
    """The datasets' modification times and sizes: a rebuild (or an ingest) changes it."""
    out = []
    for name in DATASETS:
        p = dataset_path(directory, name)
        try:
            s = p.stat()
            out.append((name, s.st_mtime_ns, s.st_size))
        except FileNotFoundError:
            out.append((name, None, None))
    return tuple(out)


def _ints_with_nulls(path: Path) -> list[str]:
    """Integer columns of a parquet file holding a null (from its statistics: nothing is scanned)."""
    if not path.exists():
        return []
    meta = pq.ParquetFile(path).metadata
    schema = meta.schema.to_arrow_schema()
    out = []
    for i, fld in enumerate(schema):
        if not pa.types.is_integer(fld.type):
            continue
        for g in range(meta.num_row_groups):
            stats = meta.row_group(g).column(i).statistics
            if stats is None or not stats.has_null_count or stats.null_count:
                out.append(fld.name)
                break
    return out


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class Store:
    """One DuckDB connection over a dataset folder; ``query`` returns pandas frames."""

    def __init__(self, directory: Path | str):
        import duckdb

        self.directory = Path(directory)
        self.stamp = stamp(self.directory)
        self._con = duckdb.connect(":memory:")
        self._lock = threading.RLock()
        self._documents: pd.DataFrame | None = None
        self._memo: dict[str, object] = {}
        self.columns: dict[str, list[str]] = {}
        self._as_float: dict[str, list[str]] = {}
        for name in DATASETS:
            self._create_views(name)

    # ---- views --------------------------------------------------------------------------------

    def _create_views(self, name: str) -> None:
        path = dataset_path(self.directory, name)
        # file_row_number: the row's place in the file, so that a selection keeps the file's order
        # (a parallel scan or a semi-join may not).
        if path.exists():
            source = f"read_parquet({_quote(path)}, file_row_number = true)"
        else:  # a dataset not written (yet): its schema with no rows
            self._con.register("_schema", SCHEMAS[name].empty_table())  # a table: cursors see it
            self._con.execute(f'CREATE TABLE "_empty_{name}" AS SELECT *, 0::BIGINT AS {ROW} FROM _schema')
            self._con.unregister("_schema")
            source = f'"_empty_{name}"'
        self._con.execute(f'CREATE VIEW "_file_{name}" AS SELECT * FROM {source}')
        self._con.execute(f'CREATE VIEW "_raw_{name}" AS SELECT * EXCLUDE ({ROW}) FROM "_file_{name}"')
        cols = [r[0] for r in self._con.execute(f'DESCRIBE "_raw_{name}"').fetchall()]
        self.columns[name] = cols
        self._as_float[name] = self._as_float[name + DERIVED] = _ints_with_nulls(path)
        where = ""
        if name in SELF_EVALUATED and "origin" in cols:
            where = "WHERE coalesce(origin, 'self_eval') <> 'declaration'"
        views = {name: where}
        if name in PRINTED_ONLY and "origin" in cols:
            views = {name: "WHERE origin IS DISTINCT FROM 'derived'", name + DERIVED: "WHERE origin = 'derived'"}
        elif name in PRINTED_ONLY:
            views[name + DERIVED] = "WHERE false"
        for view, cond in views.items():
            self._con.execute(f'CREATE VIEW "_ordered_{view}" AS SELECT * FROM "_file_{name}" {cond}')
            self._con.execute(f'CREATE VIEW "{view}" AS SELECT * EXCLUDE ({ROW}) FROM "_ordered_{view}"')
        self.columns[name + DERIVED] = cols if name in PRINTED_ONLY else []

    # ---- queries ------------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence | dict | None = None) -> pd.DataFrame:
        """Run ``sql`` (views named after the datasets) and return its rows as pandas.

        Read through Arrow, so the dtypes are those of ``pq.read_table(...).to_pandas()``.
        """
        return self.arrow(sql, params).to_pandas()

    def arrow(self, sql: str, params: Sequence | dict | None = None) -> pa.Table:
        # One cursor per query: sessions run in their own threads; a cursor is their own handle.
        with self._lock:
            cur = self._con.cursor()
        try:
            return cur.sql(sql, params=params or None).to_arrow_table()
        finally:
            cur.close()

    def scalar(self, sql: str, params: Sequence | dict | None = None):
        with self._lock:
            cur = self._con.cursor()
        try:
            row = cur.execute(sql, params or []).fetchone()
            return row[0] if row else None
        finally:
            cur.close()

    def documents(self) -> pd.DataFrame:
        """The documents dataset, whole (small: one row per file), read once per store."""
        if self._documents is None:
            self._documents = self.query("SELECT * FROM documents")
        return self._documents

    def rows(self, name: str, entities: Iterable[str] = (), years: Iterable[int] = (),
             doc_kinds: Iterable[str] = (), doc_ids: Iterable[str] | None = None,
             columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Rows of dataset ``name`` (or ``<name>__derived``) in a selection; empty = all.

        The same rows, in the same order, as ``Filters.apply`` over the whole dataset.
        """
        sql, params = select_sql(name, self.columns[name], entities, years, doc_kinds, doc_ids, columns)
        df = self.query(sql, params)
        # An integer column with nulls anywhere in the file reads as float from the whole file:
        # keep that dtype for any part of it, so a selection never changes how a column behaves.
        cast = {c: "float64" for c in self._as_float.get(name, ()) if c in df.columns and df[c].dtype != "float64"}
        return df.astype(cast) if cast else df

    def memo(self, key: str, compute):
        """``compute()`` once per store (a small summary every session reads; treat it as read-only)."""
        with self._lock:
            if key not in self._memo:
                self._memo[key] = compute()
            return self._memo[key]

    def themes_per_department(self) -> dict[str, int]:
        """entity_id → how many of the four themes (budget lines, 三公, projects, indicators) its
        documents disclose: one aggregate in DuckDB, once per store."""
        sql = " UNION ALL ".join(f'SELECT DISTINCT entity_id, {i} AS theme FROM "{name}"'
                                 for i, name in enumerate(("budget_lines", "sangong", "projects", "indicators")))
        return self.memo("themes", lambda: dict(self._con.execute(
            f"SELECT entity_id, count(*) FROM ({sql}) GROUP BY entity_id").fetchall()))

    def count(self, name: str) -> int:
        return int(self.scalar(f'SELECT count(*) FROM "{name}"'))

    def lines(self, doc_id: str) -> pd.DataFrame:
        """One document's stored lines (page, line, text), in reading order."""
        return self.query(f'SELECT page, line, text FROM "_ordered_lines" WHERE doc_id = ? ORDER BY {ROW}', [doc_id])

    def close(self) -> None:
        self._con.close()


def select_sql(name: str, columns: list[str], entities: Iterable[str] = (), years: Iterable[int] = (),
               doc_kinds: Iterable[str] = (), doc_ids: Iterable[str] | None = None,
               wanted: Sequence[str] | None = None) -> tuple[str, list]:
    """``SELECT … FROM name WHERE <selection>`` with its parameters (no value is put in the text), in
    the file's order. Each list is one parameter (``IN (SELECT unnest(?))``: fast for thousands)."""
    where, params = [], []
    for col, values in zip(KEYS, (entities, years, doc_kinds), strict=True):
        values = list(values)
        if values and col in columns:
            kind = "INTEGER" if col == "year" else "VARCHAR"
            where.append(f'"{col}" IN (SELECT unnest(?::{kind}[]))')
            params.append([int(v) for v in values] if col == "year" else [str(v) for v in values])
    if doc_ids is not None:
        ids = [str(v) for v in doc_ids]
        where.append('"doc_id" IN (SELECT unnest(?::VARCHAR[]))' if ids else "false")
        params += [ids] if ids else []
    cols = ", ".join(f'"{c}"' for c in wanted) if wanted else f"* EXCLUDE ({ROW})"
    sql = (f'SELECT {cols} FROM "_ordered_{name}"' + (" WHERE " + " AND ".join(where) if where else "")
           + f" ORDER BY {ROW}")
    return sql, params
