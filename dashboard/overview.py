"""总览: coverage by department × theme, one headline row per department, caveats (pure)."""

from __future__ import annotations

import pandas as pd

from dashboard.labels import DOC_KIND, NOT_DISCLOSED, label
from dashboard.totals import summary

THEMES = {
    "budget_lines": ("预算与决算", "budget & accounts"),
    "sangong": ("三公经费", "three public expenses"),
    "projects": ("项目执行", "project execution"),
    "indicators": ("绩效指标", "performance indicators"),
}


def _docs_text(rows: pd.DataFrame, lang: str) -> pd.Series:
    """entity_id → '决算 2023、预算 2024': the document kinds and years of ``rows`` (one groupby)."""
    docs = rows[["entity_id", "doc_kind", "year"]].drop_duplicates().sort_values(["entity_id", "year", "doc_kind"])
    text = [f"{label(DOC_KIND, k, lang)} {y}" for k, y in zip(docs["doc_kind"], docs["year"], strict=True)]
    sep = "、" if lang == "zh" else ", "
    return pd.Series(text, index=docs.index, dtype=object).groupby(docs["entity_id"]).agg(sep.join)


def coverage(frames, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """Department × theme: the document kinds and years that disclose rows, else 未披露."""
    docs = frames["documents"]
    ids = sorted(docs["entity_id"].unique())
    out = pd.DataFrame(index=ids)
    for name, pair in THEMES.items():
        df = frames[name]
        if name == "projects":  # execution needs a spent figure: a budget's project list has none
            df = df[df["actual"].notna()]
        col = _docs_text(df, lang).reindex(ids).fillna(NOT_DISCLOSED[lang])
        out[pair[0] if lang == "zh" else pair[1]] = col.to_numpy()
    out["文档" if lang == "zh" else "documents"] = _docs_text(docs, lang).reindex(ids).to_numpy()
    out.index = [labels.get(e, e) for e in ids]
    out.index.name = "部门" if lang == "zh" else "department"
    return out


HEAD_COLS = ["entity_id", "doc_id", "doc_kind", "year", "basis", "budget_initial", "budget_adjusted", "actual",
             "execution_rate", "source_ref", "sources", "sangong_actual", "sangong_source"]
BASIS = {
    "final_accounts": ("全部支出（决算）", "all spending (final accounts)"),
    "budget": ("预算（无实际支出）", "budget (no actual spending)"),
    "performance_self_eval": ("部分支出（绩效自评的资金）", "part of spending (funds self-evaluated)"),
}
KIND_ORDER = {"final_accounts": 0, "performance_self_eval": 1, "budget": 2}


def totals_summary(frames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``totals.summary`` of the frames: (year totals, budget against actual per department-year)."""
    return summary(frames["budget_lines"], frames["documents"], frames.get("tables"), frames["projects"])


def headline(frames, totals: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per department: its latest year, each phase's total as ``dashboard.totals`` defines
    it (the same figures as the 预算与决算 page), the execution rate, and the line each was read from.

    ``doc_id`` / ``source_ref`` are the 决算's line (else the first phase printed); ``basis`` says
    what the 决算 covers (a whole-department self-evaluation covers only the funds evaluated);
    ``sources`` names each phase's document and line. 三公 actual comes from the latest document
    that prints it. Missing figures are NaN (shown as 未披露).
    """
    docs = frames["documents"]
    if docs.empty:
        return pd.DataFrame(columns=HEAD_COLS)
    wide = (totals or totals_summary(frames))[1]
    kinds = docs.assign(_o=docs["doc_kind"].map(KIND_ORDER).fillna(9)).sort_values(["entity_id", "year", "_o"])
    latest = kinds.drop_duplicates("entity_id", keep="last")[["entity_id", "year"]]
    # The latest year with a total, else the latest year with a document.
    with_total = wide.sort_values("year").drop_duplicates("entity_id", keep="last")
    head = latest.merge(with_total, on="entity_id", how="left", suffixes=("_doc", ""))
    head["year"] = head["year"].fillna(head["year_doc"]).astype(int)
    kind_of_year = kinds.drop_duplicates(["entity_id", "year"]).set_index(["entity_id", "year"])["doc_kind"]
    year_kind = pd.MultiIndex.from_arrays([head["entity_id"], head["year"]]).map(kind_of_year.to_dict().get)
    head["doc_kind"] = head["actual_doc_kind"].where(head["actual_doc_kind"].notna(), year_kind)
    first = head["actual_source_ref"].isna()
    head["doc_id"] = head["actual_doc_id"]
    head["source_ref"] = head["actual_source_ref"]
    for m in ("budget_adjusted", "budget_initial"):
        take = first & head["doc_id"].isna() & head[f"{m}_doc_id"].notna()
        head.loc[take, "doc_id"] = head.loc[take, f"{m}_doc_id"]
        head.loc[take, "source_ref"] = head.loc[take, f"{m}_source_ref"]
    head["basis"] = head["doc_kind"].where(head["actual_coverage"] != "evaluated", "performance_self_eval")
    budget_only = head["doc_kind"] == "budget"  # a budget prints no actual spending: never a rate either
    head.loc[budget_only, ["actual", "execution_rate"]] = float("nan")
    from dashboard.budget_tables import sources_text

    head["sources"] = [sources_text(r, "zh") for r in head.to_dict("records")]
    head["sources_en"] = [sources_text(r, "en") for r in head.to_dict("records")]
    sg = frames["sangong"]
    sg = sg[(sg["item"] == "total") & (sg["measure"] == "actual")].sort_values(["entity_id", "year"])
    sg = sg.drop_duplicates("entity_id", keep="last").set_index("entity_id")
    head["sangong_actual"] = head["entity_id"].map(sg["amount"])
    head["sangong_source"] = head["entity_id"].map(
        pd.Series(list(zip(sg["doc_kind"], sg["year"].astype(int), strict=True)), index=sg.index, dtype=object))
    return head.reindex(columns=[*HEAD_COLS, "sources_en"]).sort_values("entity_id").reset_index(drop=True)


def headline_display(head: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """The headline table as shown: a budget document's actual reads 不适用 (not 未披露, not 0); each
    phase's document and line beside the figures, and a link to the 决算's line (原文)."""
    from dashboard.budget_tables import link
    from dashboard.tables import BUDGET_NA, HEADERS, NOT_IN_A_BUDGET, display

    shown = display(head.assign(basis=head["basis"].map(lambda k: label(BASIS, k, lang) if isinstance(k, str)
                                                          else NOT_DISCLOSED[lang])),
                    ["entity_id", "year", "basis", "budget_initial", "budget_adjusted", "actual", "execution_rate",
                     "sangong_actual", "sangong_source"], labels, lang)
    is_budget = (head["doc_kind"] == "budget").to_numpy()
    # a budget document prints neither spending nor an adjusted budget
    shown.loc[is_budget, [HEADERS[c][0 if lang == "zh" else 1] for c in (*NOT_IN_A_BUDGET, "budget_adjusted")]] = \
        BUDGET_NA[lang]
    src = [f"{label(DOC_KIND, k, lang)} {int(y)}" if isinstance(k, str) else ""
           for k, y in zip(head["doc_kind"], head["year"], strict=True)]
    shown.insert(1, "来源文档" if lang == "zh" else "document", src)
    where = head["sources"] if lang == "zh" else head.get("sources_en", head["sources"])
    shown["各阶段来源（文档 · 表 · 行）" if lang == "zh" else "where each phase was read"] = where.fillna("").to_numpy()
    shown["原文" if lang == "zh" else "source"] = [link(d, r, lang) for d, r in
                                                  zip(head["doc_id"], head["source_ref"], strict=True)]
    return shown


def trend(frames, totals: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The year-over-year rows (``trends.phase_trend``) of the departments with several years."""
    from dashboard.trends import multi_year, phase_trend

    docs = frames["documents"]
    if docs.empty or docs.groupby("entity_id")["year"].nunique().max() < 2:
        return pd.DataFrame()
    return multi_year(phase_trend((totals or totals_summary(frames))[0], docs))


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
        return ("、" if lang == "zh" else ", ").join(labels.get(i, i) for i in ids)

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
