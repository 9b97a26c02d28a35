"""The one place that names the datasets, their schemas and where they live.

Every dataset is validated against its schema before it is written, and written
atomically (temp file in the same directory, then ``os.replace``).
See ../shared/DATA_CONTRACT.md: columns may be added, never renamed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

DEFAULT_RAW = Path("data/raw")
DEFAULT_OUT = Path("data/processed")

DOC_KINDS = ("final_accounts", "budget", "performance_self_eval")
MEASURES = ("budget_initial", "budget_adjusted", "actual", "prior_year_actual", "prior_year_budget")
SANGONG_ITEMS = (
    "total",
    "outbound_travel",
    "vehicle_total",
    "vehicle_purchase",
    "vehicle_operation",
    "official_reception",
)
SANGONG_COUNT_WHAT = ("vehicles", "groups", "batches", "persons")
# Sources of a 绩效自评表's 年度资金总额: 当年财政拨款 / 上年结转资金 / 其他资金, or (乌鲁木齐's
# 部门整体 table) by level of government: 中央 / 自治区·省 / 地·市·县 安排.
FUND_SOURCES = (
    "total",
    "current_year_appropriation",
    "prior_year_carryover",
    "other",
    "central",
    "provincial",
    "local",
)
FUND_MEASURES = ("budget_initial", "budget_adjusted", "actual")
CHECK_STATUS = ("pass", "fail", "warn")
DOCUMENT_PARTS = ("whole", "narrative", "tables")
ORIGINS = ("table", "narrative", "attachment", "derived")
SEVERITIES = ("high", "medium", "low", "info")

# Columns every fact dataset carries (filled in by the build, not by the family parsers).
KEY_FIELDS = [
    pa.field("doc_id", pa.string(), nullable=False),
    pa.field("entity_id", pa.string(), nullable=False),
    pa.field("year", pa.int32(), nullable=False),
    pa.field("doc_kind", pa.string(), nullable=False),
]
SOURCE_REF = pa.field("source_ref", pa.string(), nullable=False)


def _fact(*fields: pa.Field) -> pa.Schema:
    return pa.schema([*KEY_FIELDS, *fields, SOURCE_REF])


SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            # One department's disclosure of one year and kind, which may be several files
            # (说明 and 公开表): the documents that share it are read as one.
            pa.field("disclosure_id", pa.string()),
            pa.field("entity_id", pa.string(), nullable=False),
            pa.field("entity_name", pa.string(), nullable=False),
            # The name exactly as the document prints it, and where it was found (title,
            # a 部门/单位 label, a table header …): identity comes from the document.
            pa.field("entity_as_printed", pa.string()),
            pa.field("entity_found_in", pa.string()),
            # Administrative division (GB/T 2260 code where known) of the entity.
            pa.field("division_code", pa.string()),
            pa.field("entity_short", pa.string()),
            pa.field("city", pa.string()),
            pa.field("province", pa.string()),
            pa.field("admin_level", pa.string()),
            pa.field("year", pa.int32(), nullable=False),
            pa.field("doc_kind", pa.string(), nullable=False),
            pa.field("scope", pa.string(), nullable=False),
            pa.field("title", pa.string()),
            # Where the family and the year were read (``p1:L1`` …), for the report.
            pa.field("year_found_in", pa.string()),
            # What the file holds of its disclosure: both, only the 说明, or only the tables.
            pa.field("part", pa.string()),
            pa.field("source_file", pa.string(), nullable=False),
            pa.field("sha256", pa.string(), nullable=False),
            pa.field("format", pa.string(), nullable=False),
            pa.field("parser_version", pa.string(), nullable=False),
            pa.field("n_pages", pa.int32()),
            pa.field("n_lines", pa.int32(), nullable=False),
            # Staff count where the document states it (三公 per staff member).
            pa.field("staff_count", pa.int32()),
            pa.field("warnings", pa.list_(pa.string())),
        ]
    ),
    "budget_lines": _fact(
        pa.field("table", pa.string(), nullable=False),
        pa.field("code", pa.string()),
        pa.field("item", pa.string(), nullable=False),
        pa.field("level", pa.int8()),
        pa.field("breakdown", pa.string(), nullable=False),
        pa.field("measure", pa.string(), nullable=False),
        pa.field("amount", pa.float64(), nullable=False),
        pa.field("unit_as_printed", pa.string()),
        # table | narrative | attachment (a 绩效 basic-data table) | derived (from a stated change)
        pa.field("origin", pa.string()),
        # The row a part is printed under where that is not a 功能分类 code (a 基础数据表's
        # "3、市级专项资金" over its projects, 公用经费 over 其中：办公经费); null otherwise.
        pa.field("parent", pa.string()),
        # A prose item's 功能分类 path as printed ("一般公共服务支出/财政事务/行政运行"), and the
        # reason its paragraph states for the gap between phases, with that sentence's line.
        pa.field("item_path", pa.string()),
        pa.field("reason", pa.string()),
        pa.field("reason_ref", pa.string()),
    ),
    "sangong": _fact(
        pa.field("item", pa.string(), nullable=False),
        pa.field("measure", pa.string(), nullable=False),
        pa.field("amount", pa.float64(), nullable=False),
        pa.field("unit_as_printed", pa.string()),
        # Where in the document: table, narrative, or a performance attachment.
        pa.field("origin", pa.string()),
    ),
    "sangong_counts": _fact(
        pa.field("item", pa.string(), nullable=False),
        pa.field("what", pa.string(), nullable=False),
        pa.field("measure", pa.string(), nullable=False),
        pa.field("count", pa.float64(), nullable=False),
    ),
    "projects": _fact(
        # "department" for the whole-department self-evaluation (部门整体支出), else "project".
        pa.field("scope", pa.string(), nullable=False),
        pa.field("project", pa.string(), nullable=False),
        pa.field("table", pa.string()),
        pa.field("budget_initial", pa.float64()),
        pa.field("budget_adjusted", pa.float64()),
        pa.field("actual", pa.float64()),
        pa.field("execution_rate", pa.float64()),
        pa.field("stated_execution_rate", pa.float64()),
        pa.field("score", pa.float64()),
        pa.field("max_score", pa.float64()),
        pa.field("execution_weight", pa.float64()),
        pa.field("execution_score", pa.float64()),
        pa.field("deviation_note", pa.string()),
        # self_eval (a 绩效自评表) | declaration (a 项目申报表: the plan, no actuals)
        pa.field("origin", pa.string()),
    ),
    # The funds block of a 绩效自评表: one row per printed figure (a blank cell is no row).
    "project_funds": _fact(
        pa.field("scope", pa.string(), nullable=False),
        pa.field("project", pa.string(), nullable=False),
        pa.field("table", pa.string()),
        pa.field("source", pa.string(), nullable=False),
        pa.field("source_as_printed", pa.string()),
        pa.field("measure", pa.string(), nullable=False),
        pa.field("amount", pa.float64(), nullable=False),
        pa.field("unit_as_printed", pa.string()),
    ),
    "indicators": _fact(
        pa.field("scope", pa.string(), nullable=False),
        pa.field("project", pa.string()),
        pa.field("table", pa.string()),
        pa.field("level1", pa.string()),
        pa.field("level1_weight", pa.float64()),
        pa.field("level2", pa.string()),
        pa.field("name", pa.string(), nullable=False),
        pa.field("target_text", pa.string()),
        pa.field("actual_text", pa.string()),
        pa.field("target_value", pa.float64()),
        pa.field("actual_value", pa.float64()),
        pa.field("unit", pa.string()),
        pa.field("comparator", pa.string()),
        pa.field("completion", pa.float64()),
        pa.field("weight", pa.float64()),
        pa.field("score", pa.float64()),
        pa.field("deviation_note", pa.string()),
        # self_eval | declaration (申报表 targets, no actual); annual | long_term targets
        pa.field("origin", pa.string()),
        pa.field("horizon", pa.string()),
    ),
    # Changes the prose states instead of printing both figures ("比上年减少 19.69 万元，
    # 下降 43.68%"): the current figure's dataset, item and measure, what it is compared
    # against, and the change (万元 and fraction, signed; null where not printed).
    "stated_changes": _fact(
        pa.field("dataset", pa.string(), nullable=False),
        pa.field("item", pa.string(), nullable=False),
        pa.field("breakdown", pa.string()),
        pa.field("code", pa.string()),
        # The class level (1 类, 2 款, 3 项) of a budget_lines figure, as in budget_lines.
        pa.field("level", pa.int8()),
        pa.field("measure", pa.string(), nullable=False),
        pa.field("against", pa.string(), nullable=False),
        pa.field("current_amount", pa.float64()),
        pa.field("change_amount", pa.float64()),
        pa.field("change_pct", pa.float64()),
        pa.field("text", pa.string()),
    ),
    # The standard tables of each document's format: printed (present), declared empty, or
    # missing (listed in its 目录 or not). What COMPLETE-TABLES and the report read.
    "tables": pa.schema(
        [
            *KEY_FIELDS,
            pa.field("table", pa.string(), nullable=False),
            pa.field("name", pa.string()),
            pa.field("kind", pa.string()),
            pa.field("format", pa.string()),
            pa.field("title", pa.string()),
            pa.field("status", pa.string(), nullable=False),
            pa.field("listed", pa.bool_()),
            pa.field("source_ref", pa.string()),
        ]
    ),
    # A figure printed twice (a table and the prose, two files of one disclosure): the first
    # printing is the dataset's row, both are kept here for DUP-AGREE.
    "repeats": pa.schema(
        [
            *KEY_FIELDS,
            pa.field("dataset", pa.string(), nullable=False),
            pa.field("key", pa.string(), nullable=False),  # JSON list: the row's key values
            pa.field("field", pa.string(), nullable=False),  # amount | count
            pa.field("first_value", pa.float64()),
            pa.field("first_ref", pa.string()),
            pa.field("second_value", pa.float64()),
            pa.field("second_ref", pa.string()),
        ]
    ),
    # Every line as read, so that a source_ref can be shown and checked without parsing
    # the document again.
    "lines": pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("page", pa.int32()),
            pa.field("line", pa.int32(), nullable=False),
            pa.field("text", pa.string(), nullable=False),
        ]
    ),
    "checks": _fact(
        pa.field("rule", pa.string(), nullable=False),
        pa.field("family", pa.string()),
        pa.field("severity", pa.string()),
        pa.field("subject", pa.string(), nullable=False),
        pa.field("expected", pa.float64()),
        pa.field("found", pa.float64()),
        pa.field("difference", pa.float64()),
        pa.field("status", pa.string(), nullable=False),
        pa.field("message", pa.string()),
    ),
}

DATASETS = tuple(SCHEMAS)
# Datasets whose rows the family parsers produce (documents and lines come from the build).
FACT_DATASETS = tuple(n for n in DATASETS if n not in ("documents", "lines", "tables", "repeats"))

# Closed vocabularies, checked on write so a typo in a parser cannot reach the dashboard.
ALLOWED_VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    "documents": {"doc_kind": DOC_KINDS, "scope": ("department", "unit"), "part": DOCUMENT_PARTS},
    "budget_lines": {"measure": MEASURES, "origin": ORIGINS},
    "sangong": {"measure": MEASURES, "item": SANGONG_ITEMS},
    "sangong_counts": {"measure": MEASURES, "item": SANGONG_ITEMS, "what": SANGONG_COUNT_WHAT},
    "projects": {"scope": ("department", "project"), "origin": ("self_eval", "declaration")},
    "stated_changes": {"measure": MEASURES, "against": MEASURES},
    "tables": {"status": ("present", "empty", "missing")},
    "project_funds": {"scope": ("department", "project"), "source": FUND_SOURCES, "measure": FUND_MEASURES},
    "indicators": {"scope": ("department", "project"), "comparator": (">=", "<=", "=", ">", "<"),
                   "origin": ("self_eval", "declaration"), "horizon": ("annual", "long_term")},
    "checks": {"status": CHECK_STATUS, "severity": SEVERITIES},
}


# Each dataset's row as one struct type, for :func:`to_table` to read a list of records at once.
_ROW_TYPES = {name: pa.struct(list(schema)) for name, schema in SCHEMAS.items()}


class SchemaError(ValueError):
    """A dataset does not match its declared schema."""


def dataset_path(out_dir: Path | str, name: str) -> Path:
    return Path(out_dir) / f"{name}.parquet"


def to_table(name: str, rows: list[dict] | pd.DataFrame) -> pa.Table:
    """Build a table with exactly the declared schema, validating types, nulls and vocabularies.
    A missing value (None, or NaN as pandas writes it) is a null."""
    schema = SCHEMAS[name]
    if isinstance(rows, pd.DataFrame):
        return _from_frame(name, rows)
    unknown = set().union(*rows) - set(schema.names)
    if unknown:
        raise SchemaError(f"{name}: columns not in schema: {sorted(unknown)}")
    try:  # the records read in one pass as a struct (a missing key is a null), then split into
        # columns: no pandas round trip, no Python loop per column
        records = pa.array(rows, type=_ROW_TYPES[name], from_pandas=True)
        table = pa.Table.from_arrays(records.flatten(), schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError) as exc:
        raise SchemaError(f"{name}: {exc}") from exc
    validate(name, table)
    return table


def _from_frame(name: str, df: pd.DataFrame) -> pa.Table:
    schema = SCHEMAS[name]
    unknown = set(df.columns) - set(schema.names)
    if unknown:
        raise SchemaError(f"{name}: columns not in schema: {sorted(unknown)}")
    for col in schema.names:
        if col not in df.columns:
            df[col] = None
    try:
        table = pa.Table.from_pandas(df[schema.names], schema=schema, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
        raise SchemaError(f"{name}: {exc}") from exc
    validate(name, table)
    return table


def validate(name: str, table: pa.Table) -> None:
    schema = SCHEMAS[name]
    if not table.schema.equals(schema, check_metadata=False):
        raise SchemaError(f"{name}: schema mismatch:\n{table.schema}\nexpected\n{schema}")
    for field in schema:
        col = table.column(field.name)
        if not field.nullable and col.null_count:
            raise SchemaError(f"{name}.{field.name}: {col.null_count} nulls in a required column")
    for col, allowed in ALLOWED_VALUES.get(name, {}).items():
        values = {v for v in pc.unique(table.column(col)).to_pylist() if v is not None}
        bad = values - set(allowed)
        if bad:
            raise SchemaError(f"{name}.{col}: values outside the vocabulary: {sorted(bad)}")
    amounts = name in ("budget_lines", "sangong", "project_funds") and table.num_rows
    if amounts and pc.any(pc.is_nan(table.column("amount"))).as_py():
        # a missing figure must be no row, not NaN
        raise SchemaError(f"{name}.amount: NaN amounts; a figure not printed must have no row")


def write_atomic(table: pa.Table, path: Path) -> None:
    """Write parquet to a temp file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_datasets(tables: dict[str, pa.Table], out_dir: Path | str) -> None:
    """Validate every table first, then replace the files: a bad table writes nothing."""
    for name, table in tables.items():
        validate(name, table)
    for name, table in tables.items():
        write_atomic(table, dataset_path(out_dir, name))


def read_dataset(out_dir: Path | str, name: str) -> pd.DataFrame:
    path = dataset_path(out_dir, name)
    if not path.exists():
        return SCHEMAS[name].empty_table().to_pandas()
    return pq.read_table(path).to_pandas()
