"""文档: upload a disclosure (PDF, Word, text), preview what it yields, save it and ingest it in the
background; list the documents with their status and remove one. Logic: dashboard/documents.py,
dashboard/ingest.py (the worker: the page returns at once and polls the job's state)."""

import streamlit as st

from dashboard import doc_tables as dt
from dashboard import documents as dm
from dashboard import ingest, ui
from dashboard.data import data_dir
from dashboard.labels import DOC_KIND, SCOPE, label

t = ui.t
RAW, OUT = dm.raw_dir(), data_dir()
PENDING = "doc_pending"  # {"name", "data", "preview"} of the upload being previewed
JOBS = "doc_jobs"  # ids of this session's background jobs, newest last
SAVED = "doc_saved"  # uploads saved so far: the uploader's key changes, so it empties after a save

st.title(t("文档", "Documents"))

# ---- upload: preview first (child process, time limit), save only on confirmation ----------
if css := dm.uploader_css(ui.lang()):
    st.html(css)
upload = st.file_uploader(
    t("上传预算、决算或绩效自评文档（PDF / Word / TXT / MD，最大 50 MB）",
      "Upload a budget, final-account or performance document (PDF / Word / TXT / MD, up to 50 MB)"),
    type=list(dm.UPLOAD_SUFFIXES),
    key="doc_upload" + (f"-{n}" if (n := st.session_state.get(SAVED, 0)) else ""),  # new after a save
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
        st.error(t("无法载入：", "Cannot load: ") + dm.reason_text(p.reason, ui.lang()))
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
        if save.button(t("保存并载入", "Save and load"), type="primary", key="doc_save"):
            try:
                target, job = dm.queue_upload(pending["data"], pending["name"], RAW, OUT)
            except Exception as exc:  # nothing was saved; datasets untouched
                st.error(t("保存失败：", "Save failed: ") + str(exc))
            else:
                st.session_state.pop(PENDING, None)
                st.session_state.setdefault(JOBS, []).append(job.id)
                st.session_state[SAVED] = st.session_state.get(SAVED, 0) + 1
                st.success(t(f"已保存为 {target.name}，正在后台载入（其他页面可照常使用）。",
                             f"Saved as {target.name}; it is being loaded in the background (other pages "
                             "keep working)."))
        if drop.button(t("放弃", "Discard"), key="doc_discard"):
            st.session_state.pop(PENDING, None)
            st.info(t("已放弃，未保存。", "Discarded; nothing saved."))

# ---- background jobs: their state, polled while one runs; the pages see the result at once ----
STATE = {"queued": t("排队中", "queued"), "running": t("载入中", "loading")}
ACTION = {"add": t("载入", "loading"), "remove": t("移除", "removing")}


def _job_messages(mine: list[ingest.Job]) -> None:
    for job in mine:
        what = f"{ACTION[job.action]} {job.name}"
        if job.active:
            st.info(t(f"后台{what}：{STATE[job.state]}…", f"Background {what}: {STATE[job.state]}…"))
        elif job.state == "done":
            st.success(t(f"{'已载入' if job.action == 'add' else '已移除'} {job.name}（{job.seconds} 秒）",
                         f"{'Loaded' if job.action == 'add' else 'Removed'} {job.name} ({job.seconds} s)"))
        else:
            st.error(t(f"{what}失败：", f"{what} failed: ") + dm.reason_text(job.message, ui.lang()))


def _jobs() -> list[ingest.Job]:
    ids = st.session_state.get(JOBS, [])[-5:]
    return [j for j in (ingest.read_job(OUT, i) for i in ids) if j is not None]


mine = _jobs()
running = any(j.active for j in mine)


@st.fragment(run_every=1.0 if running else None)
def job_status() -> None:
    now = _jobs()
    if running and not any(j.active for j in now):
        st.rerun()  # finished: redraw the whole page (the collection, the sidebar) from the new datasets
    _job_messages(now)


job_status()

# ---- the collection ---------------------------------------------------------------------
st.subheader(t("已有文档", "Documents"))
docs = dm.list_documents(RAW, OUT)
if not docs:
    ui.show_empty(t("还没有文档。", "No documents yet."))
    st.stop()
table = dt.collection_table(docs, ui.lang())
busy = [d.status == "ingesting" for d in docs]
if any(busy):  # the status and its reason in the reader's language
    head = table.columns
    table.loc[busy, head[1]] = t("后台处理中", "in progress")
    table.loc[busy, head[-1]] = [STATE.get(d.reason, d.reason) for d in docs if d.status == "ingesting"]
st.dataframe(table, hide_index=True)
removable = [d.name for d in docs if d.status != "ingesting"]
name = st.selectbox(t("移除文档", "Remove a document"), removable, index=None, key="doc_remove_pick",
                    placeholder=t("选择一份文档", "Choose a document"))
if name and st.button(t("移除", "Remove"), key="doc_remove"):
    try:
        job = dm.queue_removal(name, RAW, OUT)
    except Exception as exc:
        st.error(t("移除失败：", "Remove failed: ") + str(exc))
    else:
        st.session_state.setdefault(JOBS, []).append(job.id)
        st.rerun()
