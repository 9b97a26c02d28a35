"""Analysts' exports: numbers stay numbers, a missing figure's state has a column of its own."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from dashboard import exports
from dashboard.tables import display

ROWS = pd.DataFrame({
    "doc_id": ["d1", "d2", "d3"],
    "entity_id": ["a", "b", "c"],
    "doc_kind": ["final_accounts", "budget", "final_accounts"],
    "year": [2023, 2024, 2023],
    "project": ["甲", "乙", "丙"],
    "budget_adjusted": [636847.14, 120.0, None],
    "actual": [632177.48, None, None],
    "execution_rate": [0.99266, None, None],
})
COLS = ["project", "budget_adjusted", "actual", "execution_rate"]


@pytest.fixture(params=["zh", "en"])
def lang(request):
    return request.param


def test_display_formats_but_keeps_the_figures(lang):
    shown = display(ROWS, COLS, {}, lang)
    assert shown.iloc[0, 1] == "636,847.14"  # the page's text
    table = exports.analyst_table(shown, lang)
    budget, actual, rate = shown.columns[1], shown.columns[2], shown.columns[3]
    assert table[budget].tolist()[:2] == [636847.14, 120.0]
    assert pd.isna(table[budget].iloc[2])
    assert table[rate].iloc[0] == pytest.approx(0.99266)  # full precision, not the shown 99.3%
    assert pd.api.types.is_float_dtype(table[actual])


def test_state_column_names_why_a_figure_is_missing(lang):
    shown = display(ROWS, COLS, {}, lang)
    table = exports.analyst_table(shown, lang)
    actual_state = [c for c in table.columns if c.endswith(exports.STATE_SUFFIX[lang])]
    assert len(actual_state) == 3  # budget (one missing), actual, rate
    state = table[actual_state[1]].tolist()
    na, nd = ("不适用", "未披露") if lang == "zh" else ("n/a", "not disclosed")
    assert state[0] == ""  # printed: no state
    assert state[1].startswith(na)  # a budget document has no actual
    assert state[2].startswith(nd) or nd in state[2]


def test_a_column_with_every_figure_printed_has_no_state_column():
    shown = display(ROWS.iloc[:1], COLS, {}, "zh")
    table = exports.analyst_table(shown, "zh")
    assert not [c for c in table.columns if c.endswith("（状态）")]


def test_csv_opens_as_numbers():
    shown = display(ROWS, COLS, {}, "zh")
    back = pd.read_csv(io.BytesIO(exports.csv_bytes(shown, "zh")), encoding="utf-8-sig")
    assert back["调整预算（万元）"].iloc[0] == 636847.14
    assert pd.isna(back["决算（万元）"].iloc[2])
    assert back["决算（万元）（状态）"].iloc[2] == "未披露"


def test_a_table_without_raw_figures_is_exported_as_shown():
    plain = pd.DataFrame({"说明": ["x", "y"]})
    assert exports.analyst_table(plain).equals(plain)


def test_workbook_has_a_sheet_per_table_numbers_as_numbers_and_sources():
    shown = display(ROWS, COLS, {}, "zh")
    docs = pd.DataFrame({"doc_id": ["d1"], "source_file": ["x.pdf"], "entity_name": ["某局"], "year": [2023],
                         "doc_kind": ["final_accounts"], "sha256": ["ab" * 32]})
    data = exports.workbook_bytes([("projects-all", shown), ("projects/flagged?", shown)], docs, "zh")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["projects-all", "projects_flagged_", "来源文档"]
    sheet = book["projects-all"]
    headers = [c.value for c in sheet[1]]
    assert "调整预算（万元）" in headers
    cell = sheet.cell(row=2, column=headers.index("调整预算（万元）") + 1)
    assert cell.data_type == "n" and cell.value == 636847.14
    src = book["来源文档"]
    assert [c.value for c in src[1]][:2] == ["文件", "部门（文档所印）"]
    assert src.cell(row=2, column=1).value == "x.pdf"


def test_sheet_names_are_unique_and_short():
    taken: set[str] = set()
    names = [exports._sheet_name("a" * 40, taken) for _ in range(3)]
    assert len(set(names)) == 3 and all(len(n) <= 31 for n in names)


def test_print_copy_is_plain_html_and_capped():
    shown = pd.DataFrame({"项目": [f"p{i}" for i in range(5)], "金额": ["1.00"] * 5})
    html = exports.print_table_html(shown, "zh", rows=3)
    assert html.startswith('<div class="print-only">') and "<table" in html
    assert "p2" in html and "p3" not in html and "另有 2 行" in html
    assert "@media print" in exports.PRINT_CSS and "stSidebar" in exports.PRINT_CSS


def test_print_copy_of_an_arrow_backed_table_keeps_every_cell_and_leaves_missing_ones_empty():
    shown = pd.DataFrame({"项目": pd.array(["甲", None, "<丙>"], dtype="string[pyarrow]"),
                          "金额": pd.array([1.5, None, 3.0], dtype="float64[pyarrow]")})
    html = exports.print_table_html(shown, "zh")
    assert "<tr><td>甲</td><td>1.5</td></tr><tr><td></td><td></td></tr>" in html
    assert "&lt;丙&gt;" in html  # escaped


def test_raw_figures_follow_a_table_through_pandas_without_being_copied_figure_by_figure():
    """Regression: pandas deep-copies attrs on every column read and head(); the raw figures of
    a 10,000-row table were copied value by value (≈0.1 s a page run). They are copied as one."""
    import copy

    shown = display(ROWS, COLS, "zh")
    raw = shown.attrs[exports.RAW]
    assert copy.deepcopy(shown.attrs)[exports.RAW] is raw
    assert shown.head(2).attrs[exports.RAW] is raw and shown[shown.columns[0]].attrs[exports.RAW] is raw
    assert exports.analyst_table(shown, "zh").equals(exports.analyst_table(shown.head(3), "zh"))
