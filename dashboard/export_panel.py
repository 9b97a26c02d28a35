"""The sidebar's export panel (Streamlit): the view's Excel workbook, its brief, and print.

Every table a page shows through ``ui.show_table`` is registered here during the run; app.py draws
the panel after the page has run, so the workbook holds exactly the tables of the view. The brief
is made in a child process (dashboard/brief_jobs.py) and the panel polls it in a fragment: the
page is never blocked while it is made.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import brief_jobs, exports
from dashboard.common import Filters

_TABLES = "_view_tables"
_VIEW = "_view_selection"
_JOB = "_brief_job"


def _t(zh: str, en: str) -> str:
    return en if st.session_state.get("lang") == "en" else zh


def begin_view(f: Filters, documents: pd.DataFrame) -> None:
    """A page's run starts: forget the last run's tables; remember the selection it shows."""
    st.session_state[_TABLES] = {}
    st.session_state[_VIEW] = (f, documents)
    # st.html with nothing but a <style>: Streamlit puts it in its event container, so the page has no
    # element for it and the browser parses no markdown (st.markdown with HTML runs rehype-raw on it).
    st.html(exports.PRINT_CSS)


def register_table(name: str, shown: pd.DataFrame) -> None:
    st.session_state.setdefault(_TABLES, {})[name] = shown


def view_entities(f: Filters, documents: pd.DataFrame) -> list[str]:
    """The departments of the current view: the sidebar's choice, else every one the view shows."""
    if f.entities:
        return list(f.entities)
    return sorted(documents["entity_id"].dropna().unique()) if "entity_id" in documents else []


def panel(data_dir: Path) -> None:
    """Draw the export panel in the sidebar (call after the page ran)."""
    view = st.session_state.get(_VIEW)
    if view is None:
        return
    f, documents = view
    tables = list(st.session_state.get(_TABLES, {}).items())
    lang = f.lang
    with st.sidebar:
        st.markdown("**" + _t("导出", "Export") + "**")
        if tables:
            st.download_button(
                _t("本页表格（Excel）", "This view's tables (Excel)"),
                lambda: exports.workbook_bytes(tables, documents, lang),
                file_name="view.xlsx", key="export-xlsx", on_click="ignore",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        st.caption(_t("打印本页：用浏览器打印（Ctrl+P），侧栏和按钮不会印出，表格不截断。",
                      "To print this view use the browser's print (Ctrl+P): no sidebar or buttons, tables whole."))
        _brief_controls(f, documents, data_dir)


def _brief_controls(f: Filters, documents: pd.DataFrame, data_dir: Path) -> None:
    entities = view_entities(f, documents)
    if not entities:
        return
    if len(entities) > brief_jobs.MAX_ENTITIES:
        st.caption(_t(f"简报：请在上面选择至多 {brief_jobs.MAX_ENTITIES} 个部门。",
                      f"Brief: choose at most {brief_jobs.MAX_ENTITIES} departments above."))
        return
    year = f.years[0] if len(f.years) == 1 else None
    what = _t("部门简报" if len(entities) == 1 else "比较简报", "Department brief" if len(entities) == 1
              else "Comparison brief")
    c1, c2 = st.columns(2)
    for col, fmt in zip((c1, c2), brief_jobs.FORMATS, strict=True):
        if col.button(f"{what} {fmt.upper()}", key=f"brief-{fmt}"):
            st.session_state[_JOB] = brief_jobs.start_brief(entities, year, f.lang, fmt, data_dir)
    if st.session_state.get(_JOB) is not None:
        _brief_status()


@st.fragment(run_every=1.0)
def _brief_status() -> None:
    job: brief_jobs.BriefJob | None = st.session_state.get(_JOB)
    if job is None:
        return
    if job.running:
        st.caption(_t("正在生成简报…（页面可继续使用）", "Making the brief… (the page stays usable)"))
        return
    if job.succeeded:
        data = job.out.read_bytes()
        st.download_button(_t("下载简报", "Download the brief") + f" ({job.fmt.upper()})", data,
                           file_name=job.file_name(), key="brief-download", on_click="ignore")
    else:
        st.error(_t("简报未能生成：", "The brief could not be made: ") + job.error())
