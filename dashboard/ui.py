"""Shared page furniture (Streamlit): cached datasets, sidebar filters in the URL, language,
colours, CSV/PNG downloads, links to the source viewer, empty states.

Every page:  ds, f = page(title); ... pure builders ...; show_chart / show_table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import common, flags, sources
from dashboard.common import Filters, png_config
from dashboard.data import Datasets, data_dir, read_all
from dashboard.labels import CHECK_STATUS, DOC_KIND, label
from loaders.schema import DATASETS, dataset_path

LANG_KEY = "lang"
HERE_ROOT = Path(__file__).resolve().parent.parent


# ---- data -----------------------------------------------------------------------------------


def _stamp(directory: Path) -> tuple:
    """The datasets' modification times: a rebuild changes the cache key."""
    out = []
    for name in DATASETS:
        p = dataset_path(directory, name)
        out.append((name, p.stat().st_mtime_ns if p.exists() else None))
    return tuple(out)


@st.cache_data(show_spinner=False, max_entries=4)
def _read(directory: str, stamp: tuple) -> Datasets:
    return read_all(Path(directory))


def load_datasets() -> Datasets:
    """All datasets, cached until one of the parquet files changes."""
    directory = data_dir()
    return _read(str(directory), _stamp(directory))


@st.cache_data(show_spinner=False, max_entries=16)
def source_lines(path: str, mtime: float | None) -> pd.DataFrame:
    """A document's lines (reading it for display, not parsing), cached per file version."""
    from loaders.readers import read_source

    return sources.lines_frame(read_source(path).lines)


def document_lines(source_file: str) -> pd.DataFrame | None:
    """The lines of a document (documents.source_file), or None where its file is not found."""
    path = sources.resolve(source_file, [data_dir(), HERE_ROOT])
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


def sidebar_filters(datasets: Datasets) -> Filters:
    """Department, year and document kind in the sidebar, kept in the URL (?dept=…&year=…&kind=…).

    Empty selection = everything. The selection survives page switches.
    """
    docs = datasets["documents"]
    labels = common.entity_labels(docs)
    lg = lang()
    with st.sidebar:
        st.markdown("**" + t("筛选", "Filters") + "**")
        dept = _multiselect(t("部门", "Department"), "dept", sorted(labels, key=labels.get),
                            t("全部部门", "All departments"), format_func=lambda e: labels.get(e, e))
        year = _multiselect(t("年度", "Year"), "year", [str(y) for y in sorted(docs["year"].unique())],
                            t("全部年度", "All years"))
        kind = _multiselect(t("文档类型", "Document kind"), "kind",
                            [k for k in DOC_KIND if k in set(docs["doc_kind"])], t("全部类型", "All kinds"),
                            format_func=lambda k: label(DOC_KIND, k, lg))
        for key, what in (("dept", t("部门", "department")), ("year", t("年度", "year")),
                          ("kind", t("文档类型", "document kind"))):
            if unknown := rejected_from_url(key):
                st.warning(t(f"链接中的{what} {'、'.join(unknown)} 不在数据中，已忽略。",
                             f"The link's {what} {', '.join(unknown)} is not in the data; ignored."))
    return Filters(tuple(dept), tuple(int(y) for y in year), tuple(kind), lg, labels)


def page(zh: str, en: str) -> tuple[Datasets, Filters]:
    """A data page's start: its title, the (cached) datasets and the sidebar filters."""
    st.title(t(zh, en))
    datasets = load_datasets()
    return datasets, sidebar_filters(datasets)


def filtered(datasets: Datasets, f: Filters) -> dict[str, pd.DataFrame]:
    """Every dataset narrowed to the sidebar selection."""
    return {name: f.apply(df) for name, df in datasets.frames.items()}


# ---- furniture ------------------------------------------------------------------------------


def entity_colors(documents: pd.DataFrame) -> dict[str, str]:
    """One colour per department (entity_id), the same on every page."""
    return common.entity_colors(documents)


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
    """A CSV download of the table as shown (UTF-8 with BOM, so Excel reads the Chinese)."""
    st.download_button(
        t("下载 CSV", "Download CSV"),
        df.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{name}",
        on_click="ignore",
    )


def show_table(df: pd.DataFrame, name: str, empty: str | None = None, **kwargs) -> None:
    """A table with its CSV download, or a sentence when it has no rows."""
    if df.empty:
        show_empty(empty or t("没有符合当前筛选的数据。", "No rows match the current selection."))
        return
    st.dataframe(df, hide_index=True, key=f"table-{name}", **kwargs)
    download_csv(df, name)


def show_chart(fig: go.Figure, name: str) -> None:
    """A plotly chart with key ``chart-<name>``; the modebar camera saves ``<name>.png``."""
    st.plotly_chart(fig, key=f"chart-{name}", config=png_config(name), width="stretch")


def with_links(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with a ``link`` column to the source viewer at each row's doc_id / source_ref."""
    return sources.with_links(df)


def link_config() -> dict:
    """``column_config`` for a table whose ``link`` column (shown as 原文) holds ``with_links`` links."""
    name = t("原文", "source")
    return {name: st.column_config.LinkColumn(name, display_text=r"ref=([^&]+)")}


def show_flagged_table(shown: pd.DataFrame, marked: pd.DataFrame, name: str, empty: str | None = None,
                       column_config: dict | None = None) -> None:
    """``shown`` (built from ``marked``, same row order) with a ⚠ column naming the failing rules on
    each row's line and a link to the 核查 page."""
    table = flags.with_flag_columns(shown, marked, lang())
    config = dict(column_config or {})
    config[flags.flag_headers(lang())[1]] = st.column_config.LinkColumn(
        flags.flag_headers(lang())[1], display_text=t("⚠ 去核查", "⚠ open audit"))
    show_table(table, name, empty, column_config=config)
