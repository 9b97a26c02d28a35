"""数据核查与来源: failed checks first; a source viewer at a row's reference (?doc=…&ref=…)."""

from pathlib import Path

import streamlit as st

from dashboard import sources as src
from dashboard import ui
from dashboard.common import doc_label
from dashboard.data import data_dir
from dashboard.tables import display

t = ui.t
st.title(t("数据核查与来源", "Checks and sources"))
ds = ui.load_datasets()
f = ui.sidebar_filters(ds)
docs = ds["documents"]

st.subheader(t("一致性核查", "Consistency checks"))
checks = src.checks_sorted(f.apply(ds["checks"]))
if checks.empty:
    ui.show_empty(t("当前筛选下没有核查结果。", "No check results for the current selection."))
else:
    n = checks["status"].value_counts()
    c1, c2, c3 = st.columns(3)
    c1.metric(t("未通过", "Failed"), int(n.get("fail", 0)))
    c2.metric(t("警告", "Warnings"), int(n.get("warn", 0)))
    c3.metric(t("通过", "Passed"), int(n.get("pass", 0)))
    checks = checks.assign(link=[ui.source_url(d, r) for d, r in zip(checks["doc_id"], checks["source_ref"],
                                                                        strict=True)])
    cols = ["status", "severity", "source", "rule", "subject", "expected", "found", "difference", "message", "link"]
    ui.show_table(display(checks, cols, f.labels, f.lang, vocab_columns=("status",)), "checks",
                  column_config={t("原文", "source"): ui.link_column()})

st.subheader(t("原文查看", "Source viewer"))
if docs.empty:
    ui.show_empty(t("还没有文档。", "No documents yet."))
    st.stop()
names = {r["doc_id"]: doc_label(r, f.labels, f.lang) for r in docs.sort_values(["entity_id", "year"]).to_dict("records")}
c1, c2, c3 = st.columns([3, 1, 1])
ui.url_state("doc", list(names))
ui.url_state("ref")
in_view = [d for d in names if d in set(f.apply(docs)["doc_id"])] or list(names)
first = {} if "doc" in st.session_state else {"index": list(names).index(in_view[0])}
doc_id = c1.selectbox(t("文档", "Document"), list(names), format_func=names.get, key="doc", **first)
ref = c2.text_input(t("位置（如 L123 或 p3:L12）", "Reference (L123 or p3:L12)"), key="ref").strip()
ui.to_url("doc", doc_id)
ui.to_url("ref", ref)
context = c3.number_input(t("上下文行数", "Context lines"), 3, 200, 12, key="src_context")
row = docs[docs["doc_id"] == doc_id].iloc[0]
path = src.resolve(row["source_file"], [data_dir(), Path(__file__).resolve().parent.parent])
if path is None:
    ui.show_empty(t(f"找不到原文文件：{row['source_file']}", f"Source file not found: {row['source_file']}"))
    st.stop()
lines = ui.source_lines(str(path), path.stat().st_mtime)
view = src.window(lines, ref, int(context))
if ref and src.parse_ref(ref) == (None, None):
    st.warning(t(f"无法识别的位置：{ref}", f"Unrecognised reference: {ref}"))
if view.empty:
    ui.show_empty(t(f"文档中没有位置 {ref}。", f"The document has no line {ref}."))
    st.stop()
hit = view[view["hit"]]
st.caption(f"{names[doc_id]} · {row['source_file']}")
if not hit.empty and ref:
    st.success(f"{ref}: {hit['text'].iloc[0]}")
shown = view.drop(columns=["page"] if view["page"].isna().all() else []).reset_index(drop=True)
styled = shown.style.apply(lambda r: ["background-color: #fff3b0" if r["hit"] else "" for _ in r], axis=1)
st.dataframe(styled, hide_index=True, key="table-source", column_config={"hit": None},
             height=min(40 + 35 * len(shown), 900))
ui.download_csv(shown.drop(columns="hit"), f"source-{doc_id}")
