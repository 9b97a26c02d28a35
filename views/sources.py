"""数据核查与来源: the source viewer at a row's reference (?doc=…&ref=…), on top when a link opened
it, and the consistency checks, failures first. Logic: dashboard/sources.py, dashboard/checks_display.py."""

from pathlib import Path

import streamlit as st

from dashboard import checks_display as cd
from dashboard import sources as src
from dashboard import ui
from dashboard.common import add_doc_label, doc_names
from dashboard.labels import DOC_KIND, label
from loaders.checks import RULES

t = ui.t
SHIFT, ANCHOR = "src_shift", "src_anchor"
MAX_CHECK_ROWS = 1000  # a table a reader scans; formatting tens of thousands of rows costs seconds
ds, f = ui.page("数据核查与来源", "Checks and sources")
docs = ds["documents"]


def checks_section() -> None:
    st.subheader(t("一致性核查", "Consistency checks"))
    checks = ui.cached(ds, f, lambda: src.checks_sorted(f.apply(ds["checks"])))  # kept per selection
    if checks.empty:
        ui.show_empty(t("当前筛选下没有核查结果。", "No check results for the current selection."))
        return
    ui.status_metrics(checks)
    if len(checks) > MAX_CHECK_ROWS:  # worst first: the rest are passes and minor warnings
        st.caption(t(f"显示最需关注的 {MAX_CHECK_ROWS:,} 条（共 {len(checks):,} 条）；按部门筛选或到“核查”页查看其余。",
                     f"The {MAX_CHECK_ROWS:,} most serious of {len(checks):,} are shown; narrow by department "
                     "or open the audit page for the rest."))
    cols = ["status", "severity", "source", "rule", "description", "subject", "expected", "found", "difference",
            "message", "link"]
    table = ui.cached(ds, f, lambda: cd.check_table(ui.with_links(add_doc_label(checks.head(MAX_CHECK_ROWS), f.labels,
                                                                                f.lang)), cols, f.labels, RULES, f.lang))
    ui.show_table(table, "checks", column_config=ui.link_config())


def _move(step: int) -> None:
    st.session_state[SHIFT] = st.session_state.get(SHIFT, 0) + step


def viewer_section() -> None:
    # Drawn when opened, or when a link names a document or a line (?doc=…&ref=…).
    box = ui.section("原文查看", "Source viewer", "src_view", inner=("doc", "ref"))
    if box.open:
        with box:
            viewer()


def viewer() -> None:
    if docs.empty:
        ui.show_empty(t("还没有文档。", "No documents yet."))
        return
    # The picker lists the documents of the selection, and the one a link or an earlier choice names
    # (thousands of documents would make a picker no one reads, and a slow page).
    in_view = f.apply(docs)
    wanted = {*st.query_params.get_all("doc"), st.session_state.get("doc")} & set(docs["doc_id"])
    shown = docs[docs["doc_id"].isin(wanted) | docs["doc_id"].isin(in_view["doc_id"])]
    names = doc_names((shown if not shown.empty else docs).sort_values(["entity_id", "year"]), f.labels, f.lang)
    c1, c2, c3 = st.columns([3, 1, 1])
    ui.url_state("doc", list(names))
    ui.url_state("ref")
    first_in_view = next((d for d in names if d in set(in_view["doc_id"])), next(iter(names)))
    first = {} if "doc" in st.session_state else {"index": list(names).index(first_in_view)}
    doc_id = c1.selectbox(t("文档", "Document"), list(names), format_func=names.get, key="doc", **first)
    ref = c2.text_input(t("位置（如 L123 或 p3:L12）", "Reference (L123 or p3:L12)"), key="ref").strip()
    context = int(c3.number_input(t("上下各几行", "Lines either side"), 3, 100, 15, key="src_context"))
    ui.to_url("doc", doc_id)
    ui.to_url("ref", ref)
    if st.session_state.get(ANCHOR) != (doc_id, ref):  # a new place: start at the highlighted line
        st.session_state[ANCHOR], st.session_state[SHIFT] = (doc_id, ref), 0
    row = docs[docs["doc_id"] == doc_id].iloc[0]
    st.caption(f"{row['entity_name']} · {label(DOC_KIND, row['doc_kind'], f.lang)} · {int(row['year'])}"
               f"{t('年度', '')} · {Path(row['source_file']).name}")
    lines = ui.document_lines(doc_id, row["source_file"])
    if lines is None:
        ui.show_empty(t(f"找不到原文：{row['source_file']}", f"Source lines not found: {row['source_file']}"))
        return
    if ref and src.parse_ref(ref) == (None, None):
        st.warning(t(f"无法识别的位置“{ref}”：请写成 L123（第 123 行）或 p3:L12（第 3 页第 12 行）。下面是文档开头。",
                     f"“{ref}” is not a reference: write L123 (line 123) or p3:L12 (page 3, line 12). "
                     "The start of the document is shown below."))
        ref = ""
    shift = st.session_state.get(SHIFT, 0)
    view = src.window(lines, ref, context, shift)
    if view.empty:
        ui.show_empty(t(f"这份文档没有位置 {ref}（共 {len(lines)} 行）。请检查位置或换一份文档。",
                        f"This document has no line {ref} ({len(lines)} lines). Check the reference or the document."))
        return
    hit = view[view["hit"]]
    if not hit.empty:
        st.success(f"{ref}: {src.cells_text(hit['text'].iloc[0])}")
    st.markdown(src.window_html(view), unsafe_allow_html=True)
    size = 2 * context + 1
    b1, b2, b3, b4 = st.columns([1, 1, 1, 3])
    b1.button(t(f"↑ 往前 {size} 行", f"↑ {size} lines up"), key="src_prev", on_click=_move, args=(-size,),
              disabled=bool(view.index[0] == 0))
    b2.button(t(f"↓ 往后 {size} 行", f"↓ {size} lines down"), key="src_next", on_click=_move, args=(size,),
              disabled=bool(view.index[-1] >= len(lines) - 1))
    b3.button(t("回到高亮行", "Back to the line"), key="src_back", on_click=_move, args=(-shift,),
              disabled=not (ref and shift))
    b4.caption(src.span_text(view, len(lines), f.lang))
    ui.download_csv(view.drop(columns="hit"), f"source-{doc_id}")


# A link that names a place (?ref=…) opens on the document; otherwise the checks come first.
if st.query_params.get("ref") or st.session_state.get("ref"):
    viewer_section()
    checks_section()
else:
    checks_section()
    viewer_section()
