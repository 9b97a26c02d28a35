"""核查: rule findings by severity and department, and outlier screens (logic in dashboard.screening)."""

import streamlit as st

from dashboard import checks_display as cd
from dashboard import screening as scr
from dashboard import ui
from dashboard.labels import CHECK_STATUS, RULE_FAMILY, SEVERITY, label
from dashboard.projects import project_rows
from loaders.checks import RULES

t = ui.t
MAX_NOTES = 5  # missing-table sentences shown as boxes; the others in one fold
MAX_ROWS = 1000  # findings formatted and sent to the browser
st.title(t("核查", "Audit findings"))
ds = ui.load_datasets()
if ds.empty:
    ui.show_empty(ui.no_datasets_text())
    st.stop()
f = ui.sidebar_filters(ds)
frames = ui.filtered(ds, f)
sel = ds.narrowed(f)  # what ui.cached keys results by


def _texts(found) -> dict[str, list[str]]:
    """The lines of the documents with missing-table findings: the stored lines, in one query (a
    document the store holds no lines for is read from its file)."""
    wanted = set(found.loc[found["rule"] == "COMPLETE-TABLES", "doc_id"])
    stored = ui.lines_of(wanted)
    out = {doc: list(part["text"]) for doc, part in stored.groupby("doc_id", sort=False)}
    docs = ds["documents"].set_index("doc_id")
    for doc in (wanted - set(out)) & set(docs.index):
        lines = ui.document_lines(doc, docs.loc[doc, "source_file"])
        if lines is not None:
            out[doc] = list(lines["text"])
    return out


checks = frames["checks"]

st.subheader(t("规则核查结果", "Rule findings"))
st.caption(t("每条规则比较文档自己印出的数字；未印出的数不参与核查（不当作 0）。",
             "Each rule compares figures the document itself prints; a figure not printed is left out (never 0)."))
c1, c2, c3 = st.columns(3)
sev = c1.multiselect(t("严重程度", "Severity"), list(scr.SEVERITY_ORDER), key="audit_sev",
                     format_func=lambda s: label(SEVERITY, s, f.lang), placeholder=t("全部", "all"))
fam = c2.multiselect(
    t("规则类别", "Rule family"), sorted({r.family for r in RULES.values()}), key="audit_fam",
    format_func=lambda v: label(RULE_FAMILY, v, f.lang), placeholder=t("全部", "all"),
)
status = c3.multiselect(t("状态", "Status"), list(scr.STATUS_ORDER), default=["fail", "warn"], key="audit_status",
                        format_func=lambda v: label(CHECK_STATUS, v, f.lang), placeholder=t("全部", "all"))
chosen = (tuple(sev), tuple(fam), tuple(status))  # the findings kept per selection and these choices
found = ui.cached(sel, f, lambda: scr.findings(checks, sev, fam, status), depends=chosen)
ui.status_metrics(checks)
if found.empty:
    ui.show_empty(t("当前筛选下没有核查结果。", "No findings for the current selection."))
else:
    notes = ui.cached(sel, f, lambda: scr.missing_tables_notes(found, _texts(found), f.labels, f.lang), depends=chosen)
    for note in notes[:MAX_NOTES]:
        st.info(note)
    if len(notes) > MAX_NOTES:
        with st.expander(t(f"另有 {len(notes) - MAX_NOTES} 份文档缺表", f"{len(notes) - MAX_NOTES} more documents lack tables")):
            st.markdown("\n".join(f"- {n}" for n in notes[MAX_NOTES:]))
    st.dataframe(ui.cached(sel, f, lambda: cd.severity_matrix(scr.findings_matrix(found), f.labels, f.lang),
                           depends=chosen), key="table-audit-matrix")
    if len(found) > MAX_ROWS:  # worst first (scr.findings): the rest are lesser findings
        st.caption(t(f"显示最严重的 {MAX_ROWS:,} 条（共 {len(found):,} 条）；按部门或严重程度筛选以查看其余。",
                     f"The {MAX_ROWS:,} most serious of {len(found):,} findings are shown; narrow by department "
                     "or severity for the rest."))
    cols = ["severity", "status", "entity_id", "year", "doc_kind", "family", "rule", "description", "subject",
            "expected", "found", "difference", "message", "source_ref", "link"]
    ui.show_table(ui.cached(sel, f, lambda: cd.check_table(ui.with_links(found.head(MAX_ROWS)), cols, f.labels, RULES,
                                                          f.lang), depends=chosen),
                  "audit-findings", column_config=ui.link_config())

# Drawn when opened (ui.section): the first view is the findings above.
screens = ui.section("异常值筛查", "Outlier screens", "audit_screens")
if screens.open:
    with screens:
        projects = project_rows(frames["projects"])
        c1, c2, c3, c4 = st.columns(4)
        low = c1.number_input(t("执行率下限（%）", "Rate below (%)"), 0.0, 200.0, 90.0, 5.0, key="audit_low") / 100
        high = c2.number_input(t("执行率上限（%）", "Rate above (%)"), 0.0, 300.0, 100.0, 5.0, key="audit_high") / 100
        share = c3.number_input(t("预算调整幅度（%）", "Adjustment share (%)"), 0.0, 500.0, 20.0, 5.0,
                                key="audit_share") / 100
        k = c4.number_input(t("IQR 倍数", "IQR factor"), 0.5, 5.0, 1.5, 0.5, key="audit_k")
        proj_cols = ["entity_id", "year", "project", "budget_initial", "budget_adjusted", "actual", "source_ref"]

        def _show(df, extra, name):
            cols = [c for c in [*proj_cols, *extra] if c in df]
            named = df[cols].assign(entity_id=df["entity_id"].map(lambda e: f.labels.get(e, e)))
            ui.show_table(scr.headed(named, f.lang), name)

        st.markdown(t("**执行率超出区间**", "**Execution rate outside the range**"))
        _show(scr.execution_outliers(projects, low, high), ["execution_rate", "flag"], "audit-rate")
        st.markdown(t("**执行率 IQR 异常（部门内 / 全部）**", "**Execution-rate IQR outliers (within / across)**"))
        _show(scr.rate_iqr_outliers(projects, k), ["execution_rate", "lower", "upper", "basis"], "audit-iqr")
        st.markdown(t("**预算调整幅度超限**", "**Budget adjustments beyond the share**"))
        _show(scr.adjustment_outliers(projects, share), ["adjustment", "adjustment_share"], "audit-adjust")
        st.markdown(t("**人均三公经费（决算）**", "**三公 per staff member (actual)**"))
        per_staff = scr.sangong_per_staff(frames["sangong"], frames["documents"]).drop(columns=["doc_id"])
        per_staff["entity_id"] = per_staff["entity_id"].map(lambda e: f.labels.get(e, e))
        ui.show_table(
            scr.headed(per_staff, f.lang),
            "audit-staff",
            empty=t("没有同时公开三公经费与人数的文档。", "No document prints both 三公 and staff numbers."),
        )
