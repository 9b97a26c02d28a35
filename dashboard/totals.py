"""A department's total per phase (年初预算 / 调整预算 / 决算): one definition for every page (pure).

Which printed line is "the total" of a document, for each phase separately, in this order:

  0. the 合计 of its expenditure table (支出总表 / 支出决算表 / 支出预算总表: every fund, by function);
  1. the 支出 line of its summary table (收支总表: 本年支出合计 / 支出合计);
  2. a sentence stating the whole spending (本年支出合计, 支出预算, 部门预算 …);
  3. a whole-department self-evaluation (部门整体支出绩效自评表's 年度资金总额): it covers only the
     funds evaluated, and says so (``coverage`` = ``evaluated``).

Never a 总计 (it adds balances carried forward), never a part (财政拨款, 一般公共预算, 政府性基金,
基本支出, 三公 …), never a derived figure. Within a rank: the largest amount (the whole department,
not one fund), then the first line. A phase no line prints has no row (未披露), never a sum or 0.

A department's year joins its documents: the 年初预算 from its 预算 document where there is one
(else the 决算's or the self-evaluation's), 调整预算 and 决算 from its 决算 (else the
self-evaluation); the whole department (scope ``department``) before a unit's file. Each phase
keeps the document and line it came from. The execution rate is 决算 / 调整预算 as one line of
the document pairs them (the document's own pairing), else from the two phases' lines when they
cover the same funds, else not disclosed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.labels import PHASES

KEYS = ["doc_id", "entity_id", "year", "doc_kind"]
LINE_COLS = ["table", "item", "source_ref", "origin", "rank", "coverage"]
TOTAL_COLS = [*KEYS, "scope", "measure", "amount", *LINE_COLS]
# Words that make a line a part of the spending, not its total.
PART_WORDS = ("财政拨款", "一般公共", "政府性基金", "国有资本", "三公", "基本", "项目", "人员", "公用", "收入",
              "机关运行", "采购")
RANK_NAMES = {0: "expenditure_table", 1: "summary_table", 2: "narrative", 3: "self_eval"}
# Where each phase is read first: a budget's 年初, a final account's 调整 and 决算.
PHASE_DOCS = {
    "budget_initial": ("budget", "final_accounts", "performance_self_eval"),
    "budget_adjusted": ("final_accounts", "performance_self_eval", "budget"),
    "actual": ("final_accounts", "performance_self_eval"),
}
SCOPE_ORDER = {"department": 0, "unit": 1}


def _has_any(s: pd.Series, words) -> pd.Series:
    return s.str.contains("|".join(words), regex=True)


def table_kinds(lines: pd.DataFrame, tables: pd.DataFrame | None) -> pd.Series:
    """The standard kind of each line's table (``tables.kind``: expenditure, summary …), else read
    from its title: a 支出 table that is no part (财政拨款, 基本 …) is the expenditure table, a
    收支 / 收入支出 table without 财政拨款 the summary."""
    title = lines["table"].astype(str)
    guess = np.select(
        [title.str.contains("收支|收入支出") & ~_has_any(title, PART_WORDS[:5]),
         title.str.contains("支出") & ~_has_any(title, PART_WORDS)],
        ["summary", "expenditure"], default="")
    kind = pd.Series(guess, index=lines.index, dtype=object)
    if tables is not None and not tables.empty:
        known = tables.dropna(subset=["kind"]).drop_duplicates(["doc_id", "table"])
        known = known.set_index(["doc_id", "table"])["kind"]
        looked = pd.MultiIndex.from_arrays([lines["doc_id"], lines["table"]]).map(known.to_dict().get)
        kind = pd.Series(looked, index=lines.index, dtype=object).fillna(kind)
    return kind


def candidates(budget_lines: pd.DataFrame, tables: pd.DataFrame | None = None,
               projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every printed line that may be a document's total of a phase, with its ``rank`` (above)."""
    cols = [*KEYS, "measure", "amount", *LINE_COLS]
    bl = budget_lines
    if "origin" in bl:
        bl = bl[bl["origin"].fillna("table") != "derived"]
    bl = bl[(bl["level"] == 0) & (bl["breakdown"] == "total") & bl["measure"].isin(PHASES) & bl["amount"].notna()]
    told = pd.Series(np.where(bl["table"] == "narrative", "narrative", "table"), index=bl.index)
    bl = bl.assign(origin=bl["origin"].fillna(told) if "origin" in bl else told)
    item = bl["item"].astype(str)
    kind = table_kinds(bl, tables)
    grand = item.str.contains("总计")
    narrative = bl["origin"] == "narrative"
    rank = np.select(
        [bl["origin"] == "attachment",
         (bl["origin"] == "table") & (kind == "expenditure") & ~grand,
         (bl["origin"] == "table") & (kind == "summary") & item.str.contains("支出") & ~grand,
         narrative & item.str.contains("支出|预算") & ~_has_any(item, PART_WORDS) & ~grand],
        [3, 0, 1, 2], default=-1)
    out = bl.assign(rank=rank)
    out = out[out["rank"] >= 0]
    parts = [out]
    if projects is not None and not projects.empty and "scope" in projects:
        whole = projects[projects["scope"] == "department"]
        if "origin" in whole:
            whole = whole[whole["origin"].fillna("self_eval") != "declaration"]
        long = whole.melt(id_vars=[*KEYS, "table", "project", "source_ref"], value_vars=list(PHASES),
                          var_name="measure", value_name="amount").dropna(subset=["amount"])
        parts.append(long.rename(columns={"project": "item"}).assign(origin="self_eval", rank=3))
    out = pd.concat([p for p in parts if not p.empty] or [out.head(0)], ignore_index=True)
    out["coverage"] = np.where(out["rank"] == 3, "evaluated", "all")
    return out.reindex(columns=cols).reset_index(drop=True)


def _first_line(ref: pd.Series) -> pd.Series:
    """A sort key in document order for p3:L12 / L12 references."""
    parts = ref.astype(str).str.extract(r"^(?:p(?P<p>\d+))?:?(?:L(?P<l>\d+))?$")
    page = pd.to_numeric(parts["p"], errors="coerce").fillna(0)
    return page * 1e6 + pd.to_numeric(parts["l"], errors="coerce").fillna(0)


def department_totals(budget_lines: pd.DataFrame, documents: pd.DataFrame | None = None,
                      tables: pd.DataFrame | None = None, projects: pd.DataFrame | None = None,
                      cand: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (document, phase): the line that is its total (the order above).

    Columns: doc_id, entity_id, year, doc_kind, scope, measure, amount, table, item, source_ref,
    origin, rank, coverage. ``documents`` gives the scope (department or unit), ``tables`` the
    tables' standard kinds, ``projects`` the whole-department self-evaluation rows (``cand``: their
    ``candidates``, where already computed).
    """
    cand = candidates(budget_lines, tables, projects) if cand is None else cand
    if cand.empty:
        return pd.DataFrame(columns=TOTAL_COLS)
    cand = cand.assign(_amount=-cand["amount"].round(2), _line=_first_line(cand["source_ref"]))
    cand = cand.sort_values(["doc_id", "measure", "rank", "_amount", "_line"], kind="stable")
    out = cand.drop_duplicates(["doc_id", "measure"]).drop(columns=["_amount", "_line"])
    scope = documents.drop_duplicates("doc_id").set_index("doc_id")["scope"] if documents is not None \
        and "scope" in documents else pd.Series(dtype=object)
    out["scope"] = out["doc_id"].map(scope).astype(object).fillna("department")
    order = {m: i for i, m in enumerate(PHASES)}
    out = out.assign(_m=out["measure"].map(order)).sort_values(["entity_id", "year", "doc_id", "_m"])
    return out[TOTAL_COLS].reset_index(drop=True)


def execution_pairs(budget_lines: pd.DataFrame, tables: pd.DataFrame | None = None,
                    projects: pd.DataFrame | None = None, cand: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per document, the best-ranked line that prints both 调整预算 and 决算 (its own pairing), with
    the rate actual / adjusted. Columns: doc_id, budget_adjusted, actual, execution_rate, table, item,
    source_ref (of the 决算 figure), rank."""
    cols = ["doc_id", "budget_adjusted", "actual", "execution_rate", "table", "item", "source_ref", "rank"]
    cand = candidates(budget_lines, tables, projects) if cand is None else cand
    cand = cand[cand["measure"].isin(["budget_adjusted", "actual"])]
    if cand.empty:
        return pd.DataFrame(columns=cols)
    group = ["doc_id", "table", "item", "rank"]
    first = cand.drop_duplicates([*group, "measure"])
    adjusted = first[first["measure"] == "budget_adjusted"][[*group, "amount"]].rename(columns={"amount": "budget_adjusted"})
    actual = first[first["measure"] == "actual"][[*group, "amount", "source_ref"]].rename(columns={"amount": "actual"})
    wide = adjusted.merge(actual, on=group)  # one line printing both (merge, not pivot: cheaper)
    if wide.empty:
        return pd.DataFrame(columns=cols)
    wide["execution_rate"] = wide["actual"] / wide["budget_adjusted"].where(wide["budget_adjusted"] != 0)
    wide = wide.sort_values(["doc_id", "rank", "actual"], ascending=[True, True, False])
    return wide.drop_duplicates("doc_id")[cols].reset_index(drop=True)


def year_totals(totals: pd.DataFrame) -> pd.DataFrame:
    """One row per (department, year, phase) from its documents' totals: the phase read from the
    document kind that prints it first (``PHASE_DOCS``), the whole department before a unit, then
    the better-ranked line. Keeps which document (doc_id, doc_kind) and line each phase came from."""
    if totals.empty:
        return totals.reindex(columns=TOTAL_COLS)
    pref = {(m, k): i for m, kinds in PHASE_DOCS.items() for i, k in enumerate(kinds)}
    key = pd.Series([pref.get((m, k), 9) for m, k in zip(totals["measure"], totals["doc_kind"], strict=True)],
                    index=totals.index)
    df = totals.assign(_k=key, _s=totals["scope"].map(SCOPE_ORDER).fillna(2))
    df = df[df["_k"] < 9].sort_values(["entity_id", "year", "measure", "_k", "_s", "rank", "doc_id"], kind="stable")
    out = df.drop_duplicates(["entity_id", "year", "measure"]).drop(columns=["_k", "_s"])
    order = {m: i for i, m in enumerate(PHASES)}
    out = out.assign(_m=out["measure"].map(order)).sort_values(["entity_id", "year", "_m"]).drop(columns="_m")
    return out.reset_index(drop=True)


WIDE_FIELDS = ("doc_id", "doc_kind", "table", "item", "source_ref", "coverage")


def budget_vs_actual(yearly: pd.DataFrame, pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Department × year, one column per phase (NaN = 未披露) and, per phase, where it came from
    (``<phase>_doc_id``, ``_doc_kind``, ``_table``, ``_item``, ``_source_ref``, ``_coverage``); the
    execution rate with its line (``rate_source_ref``, ``rate_doc_id``; see the module doc)."""
    fields = [f"{m}_{f}" for m in PHASES for f in WIDE_FIELDS]
    cols = ["entity_id", "year", *PHASES, "execution_rate", "rate_doc_id", "rate_source_ref", "rate_table",
            "rate_item", *fields]
    if yearly.empty:
        return pd.DataFrame(columns=cols)
    keys = ["entity_id", "year"]
    flat = yearly[keys].drop_duplicates().reset_index(drop=True)
    for m in PHASES:  # one merge per phase (cheaper than a pivot of seven value columns)
        part = yearly[yearly["measure"] == m][[*keys, "amount", *WIDE_FIELDS]]
        flat = flat.merge(part.rename(columns={"amount": m, **{f: f"{m}_{f}" for f in WIDE_FIELDS}}), on=keys,
                          how="left")
    flat["rate_doc_id"] = flat["actual_doc_id"]
    pair = (pairs if pairs is not None else pd.DataFrame(columns=["doc_id"])).set_index("doc_id")
    by_doc = {c: flat["actual_doc_id"].map(pair[c]) if c in pair else pd.Series(np.nan, index=flat.index)
              for c in ("execution_rate", "source_ref", "table", "item")}
    same = (flat["actual_coverage"] == flat["budget_adjusted_coverage"]) & flat["actual"].notna()
    own = (flat["actual"] / flat["budget_adjusted"].where(flat["budget_adjusted"] != 0)).where(same)
    flat["execution_rate"] = by_doc["execution_rate"].fillna(own).astype(float)
    has_pair = by_doc["execution_rate"].notna()
    flat["rate_source_ref"] = by_doc["source_ref"].where(has_pair, flat["actual_source_ref"].where(own.notna()))
    flat["rate_table"] = by_doc["table"].where(has_pair, flat["actual_table"].where(own.notna()))
    flat["rate_item"] = by_doc["item"].where(has_pair, flat["actual_item"].where(own.notna()))
    flat["rate_doc_id"] = flat["rate_doc_id"].where(flat["execution_rate"].notna())
    return flat[cols].sort_values(["entity_id", "year"]).reset_index(drop=True)


def summary(budget_lines: pd.DataFrame, documents: pd.DataFrame | None = None, tables: pd.DataFrame | None = None,
            projects: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``year_totals``, ``budget_vs_actual``) from one pass over the candidate lines."""
    cand = candidates(budget_lines, tables, projects)
    yearly = year_totals(department_totals(budget_lines, documents, cand=cand))
    return yearly, budget_vs_actual(yearly, execution_pairs(budget_lines, cand=cand))


def department_years(budget_lines: pd.DataFrame, documents: pd.DataFrame | None = None,
                     tables: pd.DataFrame | None = None, projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """``budget_vs_actual`` in one call: each department's budget against its actual, every year."""
    return summary(budget_lines, documents, tables, projects)[1]


def line_label(table, item, ref, lang: str = "zh") -> str:
    """'支出决算表 · 合计 · L192': the line a figure was read from ('' where none)."""
    if not isinstance(ref, str) or not ref:
        return ""
    name = "文字说明" if table == "narrative" and lang == "zh" else (
        "text" if table == "narrative" else str(table))
    return " · ".join(x for x in (name, str(item) if isinstance(item, str) else "", ref) if x)
