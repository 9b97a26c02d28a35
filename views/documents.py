"""文档: upload a disclosure (PDF, Word, text), preview what it yields, save it and rebuild;
list the documents with their status and remove one. Logic: dashboard/documents.py."""

import streamlit as st

from dashboard import doc_tables as dt
from dashboard import documents as dm
from dashboard import ui
from dashboard.data import data_dir
from dashboard.labels import DOC_KIND, SCOPE, label

t = ui.t
RAW, OUT = dm.raw_dir(), data_dir()
PENDING = "doc_pending"  # {"name", "data", "preview"} of the upload being previewed

st.title(t("文档", "Documents"))

# ---- upload: preview first (child process, time limit), save only on confirmation ----------
upload = st.file_uploader(
    t("上传预算、决算或绩效自评文档（PDF / Word / TXT / MD，最大 50 MB）",
      "Upload a budget, final-account or performance document (PDF / Word / TXT / MD, up to 50 MB)"),
    type=list(dm.UPLOAD_SUFFIXES),
    key="doc_upload",
)
pending = st.session_state.get(PENDING)
if upload is None:
    st.session_state.pop(PENDING, None)  # abandoned: nothing was saved
    pending = None
elif pending is None or pending["name"] != upload.name or pending["size"] != upload.size:
    data = upload.getvalue()
    with st.spinner(t("正在解析…", "Parsing…")):
        preview = dm.inspect_upload(data, upload.name, RAW)
    pending = {"name": upload.name, "size": upload.size, "data": data, "preview": preview}
    st.session_state[PENDING] = pending

if pending is not None:
    p = pending["preview"]
    if not p.ok:
        st.error(t("无法载入：", "Cannot load: ") + p.reason)
    else:
        st.subheader(t("预览", "Preview"))
        c1, c2, c3, c4 = st.columns(4)
        c1.metric(t("单位", "Entity"), p.entity_name)
        c2.metric(t("年度", "Year"), str(p.year))
        c3.metric(t("类型", "Kind"), label(DOC_KIND, p.doc_kind, ui.lang()))
        c4.metric(t("范围", "Scope"), label(SCOPE, p.scope, ui.lang()))
        st.caption(f"{p.format} · {p.n_pages or '–'} {t('页', 'pages')} · {p.n_lines} {t('行', 'lines')} · {p.seconds} s")
        st.dataframe(dt.rows_table(p.rows, ui.lang()), hide_index=True)
        for w in p.warnings:
            st.warning(w)
        if p.failed_checks:
            st.warning(t("未通过的核查：", "Failed checks: ") + "；".join(p.failed_checks))
        save, drop = st.columns(2)
        if save.button(t("保存并重建数据", "Save and rebuild"), type="primary", key="doc_save"):
            try:
                with st.spinner(t("正在重建…", "Rebuilding…")):
                    target, _ = dm.save_upload(pending["data"], pending["name"], RAW, OUT)
            except Exception as exc:  # the file was taken out again; datasets untouched
                st.error(t("保存失败：", "Save failed: ") + str(exc))
            else:
                st.session_state.pop(PENDING, None)
                st.cache_data.clear()
                st.success(t("已保存为 ", "Saved as ") + target.name)
        if drop.button(t("放弃", "Discard"), key="doc_discard"):
            st.session_state.pop(PENDING, None)
            st.info(t("已放弃，未保存。", "Discarded; nothing saved."))

# ---- the collection ---------------------------------------------------------------------
st.subheader(t("已有文档", "Documents"))
docs = dm.list_documents(RAW, OUT)
if not docs:
    ui.show_empty(t("还没有文档。", "No documents yet."))
    st.stop()
st.dataframe(dt.collection_table(docs, ui.lang()), hide_index=True)
name = st.selectbox(t("移除文档", "Remove a document"), [d.name for d in docs], index=None, key="doc_remove_pick",
                    placeholder=t("选择一份文档", "Choose a document"))
if name and st.button(t("移除并重建数据", "Remove and rebuild"), key="doc_remove"):
    try:
        with st.spinner(t("正在重建…", "Rebuilding…")):
            dm.remove_document(name, RAW, OUT)
    except Exception as exc:
        st.error(t("移除失败：", "Remove failed: ") + str(exc))
    else:
        st.cache_data.clear()
        st.success(t("已移除 ", "Removed ") + name)
        st.rerun()
