"""Exports for analysts (pure): tables as numbers, not as the page's formatted text.

A page shows "636,847.14" and 未披露 in one column; an analyst's CSV or workbook needs the number
636847.14 in that column and the state (未披露 / 不适用) in a column of its own, so that the file
opens as numbers and a missing figure never becomes 0. ``dashboard.tables.display`` keeps the raw
values of the columns it formats in ``DataFrame.attrs[RAW]`` (header → Series); these functions
put them back.
"""

from __future__ import annotations

import html
import io

import pandas as pd

RAW = "raw_numbers"
STATE_SUFFIX = {"zh": "（状态）", "en": " (state)"}
SOURCES_SHEET = {"zh": "来源文档", "en": "sources"}
SOURCE_HEADERS = {
    "source_file": ("文件", "file"),
    "entity_name": ("部门（文档所印）", "department (as printed)"),
    "year": ("年度", "year"),
    "doc_kind": ("文档类型", "document kind"),
    "sha256": ("SHA-256", "SHA-256"),
    "doc_id": ("文档编号", "document id"),
}


class RawNumbers(dict):
    """header → the column's raw values (a tuple), read-only. pandas deep-copies a frame's attrs
    on every operation (a column read, ``head``): copied as itself, not figure by figure (a
    10,000-row table's copies cost a page ≈0.1 s a run)."""

    def __deepcopy__(self, memo) -> RawNumbers:
        return self


def keep_raw(shown: pd.DataFrame, raw: dict[str, pd.Series]) -> pd.DataFrame:
    """``shown`` carrying the raw values of its formatted columns (by header)."""
    # Tuples, not Series: pandas compares attrs when it combines frames, and a Series cannot be
    # compared as a whole.
    shown.attrs[RAW] = RawNumbers({header: tuple(pd.to_numeric(s, errors="coerce").astype(float))
                                   for header, s in raw.items()})
    return shown


def analyst_table(shown: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The table with numbers as numbers and each missing figure's state in a column of its own.

    A column whose figures are all printed gets no state column; a row whose figure is printed has
    an empty state.
    """
    raw: dict[str, tuple] = shown.attrs.get(RAW, {})
    out = pd.DataFrame(index=range(len(shown)))
    for header in shown.columns:
        text = shown[header].reset_index(drop=True)
        if header not in raw or len(raw[header]) != len(shown):
            out[header] = text
            continue
        number = pd.Series(raw[header], dtype=float)
        out[header] = number
        missing = number.isna()
        if missing.any():
            out[f"{header}{STATE_SUFFIX[lang]}"] = text.where(missing, "")
    return out


def csv_bytes(shown: pd.DataFrame, lang: str = "zh") -> bytes:
    """UTF-8 with BOM (Excel reads the Chinese), numbers unformatted (no thousands separators)."""
    return analyst_table(shown, lang).to_csv(index=False).encode("utf-8-sig")


def sources_table(documents: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The documents a view rests on, for the workbook's sources sheet."""
    cols = [c for c in SOURCE_HEADERS if c in documents]
    out = documents[cols].sort_values([c for c in ("year", "source_file") if c in cols]).reset_index(drop=True)
    i = 0 if lang == "zh" else 1
    return out.rename(columns={c: SOURCE_HEADERS[c][i] for c in cols})


def _sheet_name(name: str, taken: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    base = "".join("_" if ch in '[]:*?/\\' else ch for ch in name)[:31] or "table"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f"~{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def workbook_bytes(tables: list[tuple[str, pd.DataFrame]], documents: pd.DataFrame, lang: str = "zh") -> bytes:
    """An .xlsx of the view: one sheet per table (numbers as numbers, the page's headers) and a
    sources sheet listing the documents."""
    buffer = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, shown in tables:
            table = analyst_table(shown, lang)
            sheet = _sheet_name(name, taken)
            table.to_excel(writer, sheet_name=sheet, index=False)
            writer.sheets[sheet].freeze_panes = "A2"
        sources_table(documents, lang).to_excel(writer, sheet_name=_sheet_name(SOURCES_SHEET[lang], taken),
                                                index=False)
    return buffer.getvalue()


# A page printed from the browser: no sidebar, header or toolbar; the main column takes the
# page's width; charts and table rows are not split across pages. Streamlit's interactive
# tables are drawn on a canvas that cannot reflow, so each table also has a plain HTML copy
# (``print_table_html``) that only print shows.
PRINT_CSS = """
<style>
.print-only { display: none; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stDecoration"],
  [data-testid="stDownloadButton"], [data-testid="stBaseButton-secondary"],
  [data-testid="stElementToolbar"], .stDataFrame, [data-testid="stDataFrame"] { display: none !important; }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"], .block-container {
    max-width: 100% !important; width: 100% !important; padding: 0 !important; margin: 0 !important; }
  [data-testid="stAppViewContainer"] { position: static !important; overflow: visible !important; }
  .stPlotlyChart, [data-testid="stPlotlyChart"] { break-inside: avoid; max-width: 100% !important; }
  .print-only { display: block !important; }
  .print-only table { width: 100%; border-collapse: collapse; font-size: 8pt; table-layout: auto; }
  .print-only th, .print-only td { border: 0.5pt solid #999; padding: 1pt 3pt; word-break: break-word; }
  .print-only tr { break-inside: avoid; }
  .print-only thead { display: table-header-group; }
}
</style>
"""
PRINT_ROWS = 300
PRINT_MORE = {"zh": "（另有 {n} 行，见 CSV 或 Excel 导出）", "en": "({n} more rows: see the CSV or Excel export)"}


def _cell(v) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return ""
    return html.escape(str(v))


def print_table_html(shown: pd.DataFrame, lang: str = "zh", rows: int = PRINT_ROWS) -> str:
    """A plain HTML copy of a shown table for print (the first ``rows`` rows)."""
    # A plain string join (DataFrame.to_html took 0.2–0.6 s a page: it ran for every table shown).
    head = shown.head(rows)
    th = "".join(f"<th>{_cell(c)}</th>" for c in head.columns)
    # Columns as lists (one C call each), not itertuples: an Arrow-backed column yields its
    # values one Python call at a time.
    columns = [head.iloc[:, j].tolist() for j in range(head.shape[1])]
    trs = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
                  for row in zip(*columns, strict=True))
    body = f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"
    more = len(shown) - rows
    note = f"<p>{PRINT_MORE[lang].format(n=more)}</p>" if more > 0 else ""
    return f'<div class="print-only">{body}{note}</div>'
