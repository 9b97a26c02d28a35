"""总览: coverage by department × theme, one headline row per department, caveats (pure)."""

from __future__ import annotations

import pandas as pd

from dashboard.budget import phase_totals, totals_wide
from dashboard.labels import DOC_KIND, NOT_DISCLOSED, label

THEMES = {
    "budget_lines": ("预算与决算", "budget & accounts"),
    "sangong": ("三公经费", "three public expenses"),
    "projects": ("项目执行", "project execution"),
    "indicators": ("绩效指标", "performance indicators"),
}


def _docs_text(rows: pd.DataFrame, lang: str) -> str:
    docs = rows[["doc_kind", "year"]].drop_duplicates().sort_values(["year", "doc_kind"])
    return "、".join(f"{label(DOC_KIND, k, lang)} {y}" for k, y in zip(docs["doc_kind"], docs["year"], strict=True))


def coverage(frames: dict[str, pd.DataFrame], labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """Department × theme: the document kinds and years that disclose rows, else 未披露."""
    docs = frames["documents"]
    table = {}
    for eid in sorted(docs["entity_id"].unique()):
        row = {}
        for name, pair in THEMES.items():
            df = frames[name]
            rows = df[df["entity_id"] == eid]
            if name == "projects":  # execution needs a spent figure: a budget's project list has none
                rows = rows[rows["actual"].notna()]
            row[pair[0] if lang == "zh" else pair[1]] = _docs_text(rows, lang) if not rows.empty else NOT_DISCLOSED[lang]
        row["文档" if lang == "zh" else "documents"] = _docs_text(docs[docs["entity_id"] == eid], lang)
        table[labels.get(eid, eid)] = row
    out = pd.DataFrame.from_dict(table, orient="index")
    out.index.name = "部门" if lang == "zh" else "department"
    return out


HEAD_COLS = ["entity_id", "doc_id", "doc_kind", "year", "basis", "budget_initial", "budget_adjusted", "actual",
             "execution_rate", "source_ref", "sangong_actual", "sangong_source"]
BASIS = {
    "final_accounts": ("全部支出（决算）", "all spending (final accounts)"),
    "budget": ("预算（无实际支出）", "budget (no actual spending)"),
    "performance_self_eval": ("部分支出（绩效自评的资金）", "part of spending (funds self-evaluated)"),
}


def headline(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per department, from its latest document that prints a spending total.

    Budget, actual and rate come from one line of one document (``basis`` says what it covers;
    ``item`` which line). A 绩效自评 without a printed total gives its whole-department
    self-evaluation row (部门整体支出), which covers only the funds evaluated. 三公 actual comes
    from the latest document that prints it. Missing figures are NaN (shown as 未披露).
    """
    docs = frames["documents"]
    totals = phase_totals(frames["budget_lines"])
    wide = totals_wide(totals)
    tot = totals.drop_duplicates("doc_id").set_index("doc_id")["source_ref"]
    proj = frames["projects"]
    whole = proj[proj["scope"] == "department"] if "scope" in proj else proj.head(0)
    sg = frames["sangong"]
    sg = sg[(sg["item"] == "total") & (sg["measure"] == "actual")].sort_values("year")
    rows = []
    for eid in sorted(docs["entity_id"].unique()):
        w = wide[wide["entity_id"] == eid].sort_values("year")
        d = whole[whole["entity_id"] == eid].sort_values("year")
        s = sg[sg["entity_id"] == eid]
        rec = {"entity_id": eid}
        # A printed total without a rate yields to a whole-department self-evaluation line that
        # prints all phases (乌鲁木齐: its tables are not in the file; its 部门整体 table has them).
        if not w.empty and not (pd.isna(w.iloc[-1]["execution_rate"]) and not d.empty
                                and pd.notna(d.iloc[-1]["execution_rate"])):
            last = w.iloc[-1]
            rec.update({k: last[k] for k in ["doc_id", "doc_kind", "budget_initial", "budget_adjusted", "actual",
                                             "execution_rate", "item"]})
            rec["year"], rec["source_ref"] = int(last["year"]), tot.get(last["doc_id"])
        elif not d.empty:
            last = d.iloc[-1]
            rec.update({k: last[k] for k in ["doc_id", "doc_kind", "budget_initial", "budget_adjusted", "actual",
                                             "execution_rate", "source_ref"]})
            rec["year"], rec["item"] = int(last["year"]), last["project"]
        if "doc_kind" not in rec:  # nothing printed: say which document was read
            latest = docs[docs["entity_id"] == eid].sort_values("year").iloc[-1]
            rec["doc_kind"], rec["year"] = latest["doc_kind"], int(latest["year"])
        rec["basis"] = rec["doc_kind"]
        if rec["doc_kind"] == "budget":  # a budget prints no actual spending: never a rate either
            rec["actual"] = rec["execution_rate"] = float("nan")
        if not s.empty:
            rec["sangong_actual"] = s.iloc[-1]["amount"]
            rec["sangong_source"] = (s.iloc[-1]["doc_kind"], int(s.iloc[-1]["year"]))
        rows.append(rec)
    return pd.DataFrame(rows).reindex(columns=[*HEAD_COLS, "item"])


def headline_display(head: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """The headline table as shown: a budget document's actual reads 不适用 (not 未披露, not 0)."""
    from dashboard.tables import BUDGET_NA, HEADERS, NOT_IN_A_BUDGET, display

    shown = display(head.assign(basis=head["basis"].map(lambda k: label(BASIS, k, lang) if isinstance(k, str)
                                                          else NOT_DISCLOSED[lang]),
                                item_line=head["item"].fillna("")),
                    ["entity_id", "basis", "item_line", "budget_initial", "budget_adjusted", "actual", "execution_rate",
                     "source_ref", "sangong_actual", "sangong_source"], labels, lang)
    is_budget = (head["doc_kind"] == "budget").to_numpy()
    shown.loc[is_budget, [HEADERS[c][0 if lang == "zh" else 1] for c in NOT_IN_A_BUDGET]] = BUDGET_NA[lang]
    src = [f"{label(DOC_KIND, k, lang)} {int(y)}" if isinstance(k, str) else ""
           for k, y in zip(head["doc_kind"], head["year"], strict=True)]
    shown.insert(1, "来源文档" if lang == "zh" else "document", src)
    return shown


def caveats(frames: dict[str, pd.DataFrame], labels: dict[str, str], lang: str = "zh") -> list[str]:
    """Plain sentences a reader needs before comparing departments, derived from the documents."""
    docs = frames["documents"]
    out = []
    years = sorted(docs["year"].unique())
    if len(years) > 1:
        out.append(
            f"文档年度不同（{'、'.join(map(str, years))}）：跨部门比较时请注意年度差异。"
            if lang == "zh"
            else f"Documents cover different years ({', '.join(map(str, years))}); compare with care."
        )

    def names(kind: str) -> str:
        ids = sorted(docs.loc[docs["doc_kind"] == kind, "entity_id"].unique())
        return "、".join(labels.get(i, i) for i in ids)

    if (docs["doc_kind"] == "budget").any():
        out.append(
            f"预算文件只有预算数，没有实际支出：{names('budget')}。"
            if lang == "zh"
            else f"A budget document has no actual spending: {names('budget')}."
        )
    if (docs["doc_kind"] == "performance_self_eval").any():
        out.append(
            f"绩效自评只覆盖部分支出（被评价的项目或资金）：{names('performance_self_eval')}。"
            if lang == "zh"
            else f"A self-evaluation covers only part of the spending: {names('performance_self_eval')}."
        )
    return out
