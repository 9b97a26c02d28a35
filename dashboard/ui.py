"""Shared page furniture (Streamlit): cached datasets, sidebar filters in the URL, language,
colours, CSV/PNG downloads, links to the source viewer, empty states.

Every page:  ds, f = page(title); ... pure builders ...; show_chart / show_table.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import common, export_panel, exports, flags, sources
from dashboard.common import Filters, png_config
from dashboard.data import Datasets, Selection, StoreDatasets, data_dir, default_departments, selected_rows
from dashboard.labels import CHECK_STATUS, DOC_KIND, label
from dashboard.store import Store
from dashboard.store import stamp as store_stamp

LANG_KEY = "lang"
# Over more departments than this, a page without a department chosen shows this many (speed).
DEFAULT_DEPARTMENTS = 25
# A page's first chart draws this many departments, a switch shows all (ui.chart_departments).
CHART_DEPARTMENTS = 10
# Over this many departments, the sidebar's picker lists those a search finds (ui._department_options).
PICKER_MAX = 300
CHART_ROWS = 16  # …and, where a department takes several rows (its documents), about this many rows
# Rows of a table sent to the browser (a data grid of thousands of rows is slow to draw).
SHOWN_ROWS = 500
HERE_ROOT = Path(__file__).resolve().parent.parent


# ---- data -----------------------------------------------------------------------------------
# One DuckDB store per dataset folder and version (dashboard/store.py), shared by every session:
# the pages query it; only the rows of the sidebar's selection come into pandas, once per rerun.


@st.cache_resource(show_spinner=False, max_entries=2)
def _store(directory: str, stamp: tuple) -> Store:
    return Store(Path(directory))


def store() -> Store:
    """The store over the datasets, opened again when a build or an ingest changed a file."""
    directory = data_dir()
    return _store(str(directory), store_stamp(directory))


@st.cache_data(show_spinner=False, max_entries=64)
def _selected(directory: str, stamp: tuple, view: str, selection: Selection) -> pd.DataFrame:
    # A selection's rows, kept across reruns: a second visit with the same filters queries nothing.
    return selected_rows(_store(directory, stamp), view, selection)


def _fetch(st_: Store, view: str, selection: Selection) -> pd.DataFrame:
    return _selected(str(st_.directory), st_.stamp, view, selection)


def load_datasets() -> StoreDatasets:
    """The datasets (lazily read through the store; ``ds["documents"]`` whole)."""
    return StoreDatasets(store(), fetch=_fetch)


@st.cache_data(show_spinner=False, max_entries=16)
def source_lines(path: str, mtime: float | None) -> pd.DataFrame:
    """A document's lines read from its file (a store without stored lines), cached per file version."""
    from loaders.readers import read_source

    return sources.lines_frame(read_source(path).lines)


@st.cache_data(show_spinner=False, max_entries=32)
def _stored_lines(directory: str, stamp: tuple, doc_id: str) -> pd.DataFrame:
    return _store(directory, stamp).lines(doc_id)


@st.cache_data(show_spinner=False, max_entries=16)
def _lines_of(directory: str, stamp: tuple, doc_ids: tuple[str, ...]) -> pd.DataFrame:
    return _store(directory, stamp).rows("lines", doc_ids=list(doc_ids))


def lines_of(doc_ids) -> pd.DataFrame:
    """The stored lines (doc_id, page, line, text) of several documents, in one query."""
    directory = data_dir()
    return _lines_of(str(directory), store_stamp(directory), tuple(sorted(set(doc_ids))))


_DERIVED: dict = {}
_DERIVED_MAX = 256


def derived(key: tuple, compute):
    """``compute()`` once per store version and ``key`` (a page passes its name, the sidebar
    selection and whatever else the result depends on, e.g. the language): a page's pure results
    kept across reruns and sessions, so a warm visit recomputes nothing. Treat the result as read-only."""
    directory = data_dir()
    full = (str(directory), store_stamp(directory), *key)
    if full not in _DERIVED:
        value = compute()
        if len(_DERIVED) >= _DERIVED_MAX:  # oldest first (dicts keep insertion order)
            _DERIVED.pop(next(iter(_DERIVED)), None)
        _DERIVED[full] = value
    return _DERIVED[full]


_SCALARS = (str, int, float, bool, type(None), tuple, frozenset)


def cached(ds, f: Filters, fn, *args, depends: tuple = (), **kwargs):
    """``fn(*args, **kwargs)`` once per store version, sidebar selection, language and scalar
    argument (a pure builder of dashboard/ whose frame arguments are the selection's rows, or are
    narrowed further by the values named in ``depends``, e.g. a page's thresholds):
    a warm visit to a page draws the same tables and figures without computing them again."""
    selection = getattr(ds, "selection", None)
    if selection is None:
        return fn(*args, **kwargs)
    scalars = tuple(a for a in args if isinstance(a, _SCALARS))
    named = tuple(sorted((k, v) for k, v in kwargs.items() if isinstance(v, _SCALARS)))
    code = getattr(fn, "__code__", None)  # a lambda is known by where it is written
    where = (code.co_filename, code.co_firstlineno) if code is not None else ()
    key = (fn.__module__, fn.__qualname__, where, selection, f.lang, scalars, named, tuple(depends))
    return derived(key, lambda: fn(*args, **kwargs))


def document_lines(doc_id: str, source_file: str | None = None) -> pd.DataFrame | None:
    """A document's lines from the ``lines`` dataset (no parsing); where the store holds none for it
    (a store built before lines were stored), read from its file; None where neither is found."""
    directory = data_dir()
    lines = _stored_lines(str(directory), store_stamp(directory), doc_id)
    if not lines.empty or not source_file:
        return lines if not lines.empty else None
    path = sources.resolve(source_file, [directory, HERE_ROOT])
    if path is None:
        return None
    return source_lines(str(path), path.stat().st_mtime)


# ---- URL state ------------------------------------------------------------------------------
# Widgets keep their values across pages (persist_state="session"); the URL mirrors them with
# stable ids (?dept=hanyang&year=2023&kind=budget&lang=en), so a copied URL restores the view.
# A URL value the app did not write itself (a shared link, a link from another page) wins.

_WRITTEN = "_url_written"
_REJECTED = "_url_rejected"


def rejected_from_url(key: str) -> list[str]:
    """Values a link gave for ``key`` that are not among its options (shown as a message)."""
    return st.session_state.get(_REJECTED, {}).get(key, [])


def url_state(key: str, options: list[str] | None = None, multi: bool = False) -> None:
    """Before a widget keyed ``key`` is drawn: take its value from the URL when the URL is new to us,
    and drop stored values that are no longer options."""
    written = st.session_state.setdefault(_WRITTEN, {})
    url = [v for raw in st.query_params.get_all(key) for v in raw.split(",") if v]
    valid = (lambda v: v in options) if options is not None else (lambda v: True)
    if url and url != written.get(key):
        picked = [v for v in url if valid(v)]
        # A link naming what the data does not hold is said so, not silently dropped.
        st.session_state.setdefault(_REJECTED, {})[key] = [v for v in url if not valid(v)]
        if multi:
            st.session_state[key] = picked
        elif picked:
            st.session_state[key] = picked[0]
    elif key in st.session_state and options is not None:
        cur = st.session_state[key]
        if multi:
            st.session_state[key] = [v for v in cur if valid(v)]
        elif cur is not None and not valid(cur):
            del st.session_state[key]


def to_url(key: str, value) -> None:
    """After the widget: mirror its value in the URL (an empty value removes the parameter)."""
    values = [str(v) for v in value] if isinstance(value, list | tuple) else ([] if value in (None, "") else [str(value)])
    if values:
        st.query_params[key] = values if len(values) > 1 else values[0]
    elif key in st.query_params:
        del st.query_params[key]
    st.session_state.setdefault(_WRITTEN, {})[key] = values


# Parameters pages read from the URL themselves rather than through a widget's url_state.
READ_DIRECTLY = frozenset({"lang", "doc", "ref"})


def unknown_params(given, known) -> list[str]:
    """The parameter names of a link that nothing on the page reads (pure)."""
    return sorted(set(given) - set(known) - READ_DIRECTLY)


def warn_unknown_params() -> None:
    """After the page ran: name the link's parameters that no widget of this page read."""
    if unknown := unknown_params(st.query_params.keys(), st.session_state.get(_WRITTEN, {})):
        st.sidebar.warning(t(f"链接参数 {'、'.join(unknown)} 本页不使用，已忽略。",
                             f"The link's parameter {', '.join(unknown)} is not used on this page; ignored."))


def warn_unknown(key: str, what_zh: str, what_en: str) -> None:
    """A message naming the values a link gave for ``key`` that the page could not use."""
    if unknown := rejected_from_url(key):
        st.warning(t(f"链接中的{what_zh} {'、'.join(unknown)} 无效或不在数据中，已忽略。",
                     f"The link's {what_en} {', '.join(unknown)} is not valid here; ignored."))


def choice(widget, label_text: str, options: list[str], key: str, default: str | None = None,
           what: tuple[str, str] | None = None, **kwargs):
    """A selectbox or radio (``widget``) whose value is in the URL (?key=value, absent for the default);
    a value the link gives that is not an option is named in a message."""
    url_state(key, options)
    default = default if default in options else (options[0] if options else None)
    if key not in st.session_state and default is not None:
        kwargs["index"] = options.index(default)
    value = widget(label_text, options, key=key, **kwargs)
    to_url(key, None if value == default else value)
    warn_unknown(key, *(what or (label_text, label_text)))
    return value


def section(zh: str, en: str, key: str, inner: tuple[str, ...] = ()):
    """A fold whose charts and tables are computed and drawn only while it is open (``box.open``):
    a page's first view draws its main answer only, and the browser draws a few charts, not a
    dozen. Open is in the URL (?key=1) like every widget; a link that sets a widget inside it
    (``inner``: the widgets' keys) opens it too.

        box = section("…", "…", "bd_gaps", inner=("bd_gap",))
        if box.open:
            with box: ...
    """
    written = st.session_state.setdefault(_WRITTEN, {})
    url = [v for raw in st.query_params.get_all(key) for v in raw.split(",") if v]
    if url and url != written.get(key):
        st.session_state.setdefault(_REJECTED, {})[key] = [v for v in url[:1] if v != "1"]
        st.session_state[key] = url[0] == "1"
    elif any((v := st.query_params.get_all(k)) and v != written.get(k) for k in inner):
        st.session_state[key] = True  # a link into the section: show what it names
    box = st.expander(t(zh, en), key=key, on_change="rerun")
    to_url(key, "1" if box.open else None)
    if not box.open:  # closed: its widgets are gone, and so are their values in the URL
        for k in inner:
            if k in st.query_params and st.query_params.get_all(k) == written.get(k):
                to_url(k, None)
    warn_unknown(key, t(zh, en), t(zh, en))
    return box


def switch(label_text: str, key: str, what: tuple[str, str] | None = None) -> bool:
    """A toggle, off by default, whose state is in the URL (?key=1, absent when off); a link's
    value other than 1 or 0 is named in a message."""
    written = st.session_state.setdefault(_WRITTEN, {})
    url = [v for raw in st.query_params.get_all(key) for v in raw.split(",") if v]
    if url and url != written.get(key):
        st.session_state.setdefault(_REJECTED, {})[key] = [v for v in url[:1] if v not in ("0", "1")]
        st.session_state[key] = url[0] == "1"
    value = st.toggle(label_text, key=key)
    to_url(key, "1" if value else None)
    warn_unknown(key, *(what or (label_text, label_text)))
    return value


def first_departments(ranked: list[str], rows: dict[str, int] | None = None, most: int = CHART_DEPARTMENTS,
                      max_rows: int = CHART_ROWS) -> list[str]:
    """The first of ``ranked``: at most ``most``, and, where ``rows`` gives each department's rows
    in the chart (e.g. its documents), no more rows than ``max_rows`` (one department at least; pure)."""
    out, total = [], 0
    for e in ranked[:most]:
        total += rows.get(e, 1) if rows is not None else 0
        if out and total > max_rows:
            break
        out.append(e)
    return out


def chart_departments(ranked: list[str], key: str, by_zh: str, by_en: str,
                      rows: dict[str, int] | None = None, max_rows: int = CHART_ROWS) -> list[str] | None:
    """The departments a page's first chart draws: the first of ``ranked`` (the page ranks them by
    what it is about), ``first_departments``: a tall chart of every department is what the browser
    takes longest to draw; a switch shows all (?key=1). None: draw every department."""
    first = first_departments(ranked, rows, max_rows=max_rows)
    if len(first) == len(ranked):
        return None
    n = len(ranked)
    if switch(t(f"图中显示全部 {n} 个部门", f"Show all {n} departments in the chart"), key,
              what=("显示全部部门", "show all departments")):
        return None
    st.caption(t(f"图中为{by_zh}的 {len(first)} 个部门（共 {n} 个）。",
                 f"The chart shows the {len(first)} departments {by_en} (of {n})."))
    return first


def number(label_text: str, key: str, default: float, lo: float, hi: float, step: float,
           what: tuple[str, str] | None = None, container=None, integer: bool = False) -> float:
    """A number input whose value is in the URL (?key=80, absent for the default); a link's value
    that is not a number in [lo, hi] is named in a message."""
    written = st.session_state.setdefault(_WRITTEN, {})
    rejected = st.session_state.setdefault(_REJECTED, {})
    url = [v for raw in st.query_params.get_all(key) for v in raw.split(",") if v]
    if url and url != written.get(key):
        value = common.parse_number_param(url[0], lo, hi)
        if value is not None and integer:
            value = int(round(value))
        rejected[key] = [] if value is not None else url[:1]
        if value is not None:
            st.session_state[key] = value
    where = container or st
    kind = int if integer else float
    kwargs = {} if key in st.session_state else {"value": kind(default)}
    value = where.number_input(label_text, kind(lo), kind(hi), step=kind(step), key=key, **kwargs)
    to_url(key, None if value == default else f"{value:g}")
    if unknown := rejected_from_url(key):
        zh, en = what or (label_text, label_text)
        where.warning(t(f"链接中的{zh} {'、'.join(unknown)} 无效（应为 {lo:g}–{hi:g} 之间的数），已忽略。",
                        f"The link's {en} {', '.join(unknown)} is not a number in {lo:g}–{hi:g}; ignored."))
    return value


# ---- language -------------------------------------------------------------------------------


def lang() -> str:
    return "en" if st.session_state.get(LANG_KEY) == "en" else "zh"


def t(zh: str, en: str) -> str:
    """The text in the language chosen in the sidebar (Chinese by default)."""
    return en if lang() == "en" else zh


def language_switch() -> str:
    """Sidebar language switch (?lang=en). Call once, in app.py, before st.navigation."""
    url_state(LANG_KEY, ["zh", "en"])
    value = st.sidebar.radio(
        "语言 / Language",
        ["zh", "en"],
        format_func={"zh": "中文", "en": "English"}.get,
        key=LANG_KEY,
        horizontal=True,
        persist_state="session",
    )
    to_url(LANG_KEY, [] if value == "zh" else value)
    return lang()


# ---- filters --------------------------------------------------------------------------------


def _multiselect(label_text: str, key: str, options: list[str], placeholder: str, **kwargs) -> list[str]:
    url_state(key, options, multi=True)
    value = st.multiselect(label_text, options, key=key, placeholder=placeholder, persist_state="session", **kwargs)
    to_url(key, value)
    return value


def picker_options(ordered: list[str], labels: dict[str, str], query: str, keep, most: int,
                   suggested=()) -> list[str]:
    """The departments a picker lists over a large store: those whose name or id holds ``query``
    (at most ``most``), or with no query the ``suggested`` ones (those the pages show when none is
    chosen), and those in ``keep`` (chosen, or named by a link), in ``ordered``'s order (pure)."""
    q = query.strip().lower()
    if q:
        hits = [e for e in ordered if q in labels.get(e, e).lower() or q in e.lower()][:most]
    else:
        hits = list(suggested)[:most]
    wanted = set(hits) | set(keep)
    return [e for e in ordered if e in wanted]


def _department_options(labels: dict[str, str], docs: pd.DataFrame) -> list[str]:
    """Every department, or over ``PICKER_MAX`` of them a search box (?dept_q=…) and the departments
    it finds (with nothing searched, the ``DEFAULT_DEPARTMENTS`` that disclose the most): the
    picker's list is sent to the browser on every page, and thousands of names cost each full page
    load ≈0.3 s. The departments chosen or named by a link are always listed."""
    ordered = store().memo(f"picker-{lang()}", lambda: sorted(labels, key=labels.get))
    if len(ordered) <= PICKER_MAX:
        return ordered
    url_state("dept_q")
    query = st.text_input(t(f"查找部门（共 {len(ordered):,} 个）", f"Find a department ({len(ordered):,})"),
                          key="dept_q", placeholder=t("输入部门名称的一部分", "part of its name"))
    to_url("dept_q", query.strip())
    linked = [v for raw in st.query_params.get_all("dept") for v in raw.split(",") if v]
    keep = [e for e in [*linked, *(st.session_state.get("dept") or [])] if e in labels]
    s = store()
    suggested = s.memo(f"suggested-{lang()}", lambda: default_departments(
        docs, labels, DEFAULT_DEPARTMENTS, s.themes_per_department())[0])
    return picker_options(ordered, labels, query, keep, PICKER_MAX, suggested)


def sidebar_filters(datasets: Datasets) -> Filters:
    """Department, year and document kind in the sidebar, kept in the URL (?dept=…&year=…&kind=…).

    Empty selection = everything. The selection survives page switches.
    """
    docs = datasets["documents"]
    labels = store().memo(f"labels-{lang()}", lambda: common.entity_labels(docs, lang()))  # once per store
    lg = lang()
    with st.sidebar:
        st.markdown("**" + t("筛选", "Filters") + "**")
        dept = _multiselect(t("部门", "Department"), "dept", _department_options(labels, docs),
                            t("全部部门", "All departments"), format_func=lambda e: labels.get(e, e))
        years = store().memo("years", lambda: [str(y) for y in sorted(docs["year"].unique())])
        year = _multiselect(t("年度", "Year"), "year", years,
                            t("全部年度", "All years"))
        kinds = store().memo("kinds", lambda: set(docs["doc_kind"].unique()))  # once per store
        kind = _multiselect(t("文档类型", "Document kind"), "kind",
                            [k for k in DOC_KIND if k in kinds], t("全部类型", "All kinds"),
                            format_func=lambda k: label(DOC_KIND, k, lg))
        for key, what in (("dept", t("部门", "department")), ("year", t("年度", "year")),
                          ("kind", t("文档类型", "document kind"))):
            if unknown := rejected_from_url(key):
                st.warning(t(f"链接中的{what} {'、'.join(unknown)} 不在数据中，已忽略。",
                             f"The link's {what} {', '.join(unknown)} is not in the data; ignored."))
    f = default_scope(Filters(tuple(dept), tuple(int(y) for y in year), tuple(kind), lg, labels), docs)
    export_panel.begin_view(f, f.apply(docs))
    return f


def page(zh: str, en: str) -> tuple[StoreDatasets, Filters]:
    """A data page's start: its title, the datasets and the sidebar filters.

    ``ds[name]`` holds the rows of the sidebar's selection only (read from the store once per
    rerun); ``ds["documents"]`` is whole; ``f.apply`` over a narrowed dataset changes nothing.
    """
    st.title(t(zh, en))
    datasets = load_datasets()
    f = sidebar_filters(datasets)
    return datasets.narrowed(f), f


def filtered(datasets: StoreDatasets | Datasets, f: Filters):
    """Every dataset narrowed to the sidebar selection (a mapping read on first use)."""
    if isinstance(datasets, StoreDatasets):
        return datasets.narrowed(f).frames
    return {name: f.apply(df) for name, df in datasets.frames.items()}


def default_scope(f: Filters, docs: pd.DataFrame) -> Filters:
    """Over a large store, no department chosen: the ``DEFAULT_DEPARTMENTS`` departments of the
    year / kind selection that disclose the most themes, with a note; otherwise ``f`` unchanged.
    (Every page then reads, draws and sends the rows of a few dozen departments, not thousands.)"""
    if f.entities or docs.empty:
        return f
    s = store()
    picked, total = s.memo(f"default-{f.years}-{f.doc_kinds}-{f.lang}", lambda: default_departments(
        f.apply(docs), f.labels, DEFAULT_DEPARTMENTS, s.themes_per_department()))
    if total <= DEFAULT_DEPARTMENTS:
        return f
    st.sidebar.info(t(f"共 {total:,} 个部门：未选择部门时显示披露内容最全的 {len(picked)} 个；在“部门”中选择以查看其他部门。",
                      f"{total:,} departments: with none chosen, the {len(picked)} disclosing the most are "
                      "shown; choose in 'Department' to see others."))
    return replace(f, entities=tuple(picked))


# ---- furniture ------------------------------------------------------------------------------


def entity_colors(documents: pd.DataFrame) -> dict[str, str]:
    """One colour per department (entity_id), the same on every page: of the store's whole
    ``documents``, once per store."""
    return store().memo("colors", lambda: common.entity_colors(documents))


def status_metrics(checks: pd.DataFrame) -> None:
    """Three counts in a row: checks that failed, that warn, that passed."""
    n = checks["status"].value_counts()
    for col, key, en in zip(st.columns(3), ("fail", "warn", "pass"), ("Failed", "Warnings", "Passed"), strict=True):
        col.metric(t(label(CHECK_STATUS, key), en), int(n.get(key, 0)))


def show_empty(message: str) -> None:
    """A sentence instead of an empty chart or table."""
    st.info(message)


def stop_if_empty(df: pd.DataFrame, message: str) -> None:
    """End the page with a sentence where ``df`` has no rows."""
    if df.empty:
        show_empty(message)
        st.stop()


def no_datasets_text() -> str:
    return t("还没有数据集：请先运行 python -m loaders build。", "No datasets yet: run python -m loaders build.")


def download_csv(df: pd.DataFrame, name: str) -> None:
    """A CSV download of the table: numbers as numbers, 未披露 / 不适用 in a state column of their own
    (dashboard/exports.py), UTF-8 with BOM so that Excel reads the Chinese. Made on click."""
    lg = lang()
    st.download_button(
        t("下载 CSV", "Download CSV"),
        lambda: exports.csv_bytes(df, lg),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{name}",
        on_click="ignore",
    )


def show_table(df: pd.DataFrame, name: str, empty: str | None = None, **kwargs) -> None:
    """A table with its CSV download, or a sentence when it has no rows. The table joins the view's
    Excel workbook, and a plain copy of it is what the page prints."""
    if df.empty:
        show_empty(empty or t("没有符合当前筛选的数据。", "No rows match the current selection."))
        return
    # Without attrs: pandas writes them into the Arrow metadata as JSON, and a NaN there (the raw
    # numbers kept for exports) is JSON the browser cannot parse ("Unexpected token 'N'"); they
    # would also send every figure to the browser twice.
    # The browser gets the first SHOWN_ROWS rows (builders sort what matters first); the CSV and
    # Excel exports keep every row.
    bare = df.head(SHOWN_ROWS).copy(deep=False)
    bare.attrs = {}
    st.dataframe(bare, hide_index=True, key=f"table-{name}", **kwargs)
    if len(df) > SHOWN_ROWS:
        st.caption(t(f"显示前 {SHOWN_ROWS:,} 行，另有 {len(df) - SHOWN_ROWS:,} 行：CSV 与 Excel 导出包含全部 {len(df):,} 行。",
                     f"The first {SHOWN_ROWS:,} rows are shown, {len(df) - SHOWN_ROWS:,} more: the CSV and Excel "
                     f"exports hold all {len(df):,}."))
    # st.html, not st.markdown: the browser takes the copy as HTML as it is, where markdown parses
    # every cell of it first (≈0.1 s a 300-row table on each full page load).
    st.html(exports.print_table_html(df, lang()))
    download_csv(df, name)
    export_panel.register_table(name, df)


def show_chart(fig: go.Figure, name: str) -> None:
    """A plotly chart with key ``chart-<name>``; the modebar camera saves ``<name>.png``."""
    st.plotly_chart(fig, key=f"chart-{name}", config=png_config(name), width="stretch")


def with_links(df: pd.DataFrame, ref: str = "source_ref", column: str = "link") -> pd.DataFrame:
    """``df`` with a ``link`` column (or ``column``) to the source viewer at each row's doc_id and
    ``ref``, keeping the language (``lang=en``)."""
    if df.empty:
        return df.assign(**{column: pd.Series(dtype=object)})
    links = sources.with_links(df.assign(source_ref=df[ref]))["link"]
    lg = lang()
    links = [common.with_lang(u, lg) for u in links]
    return df.assign(**{column: links})


def link_config(*headers: str) -> dict:
    """``column_config`` for a table whose ``link`` column (shown as 原文) holds ``with_links`` links, and
    for other link columns, by their shown ``headers``."""
    names = [t("原文", "source"), *headers]
    return {name: st.column_config.LinkColumn(name, display_text=r"ref=([^&]+)") for name in names}


def show_flagged_table(shown: pd.DataFrame, marked: pd.DataFrame, name: str, empty: str | None = None,
                       column_config: dict | None = None) -> None:
    """``shown`` (built from ``marked``, same row order) with a ⚠ column naming the failing rules on
    each row's line and a link to the 核查 page."""
    table = flags.with_flag_columns(shown, marked, lang())
    config = dict(column_config or {})
    config[flags.flag_headers(lang())[1]] = st.column_config.LinkColumn(
        flags.flag_headers(lang())[1], display_text=t("⚠ 去核查", "⚠ open audit"))
    show_table(table, name, empty, column_config=config)
