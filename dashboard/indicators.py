"""绩效指标: completion per project as a ranked view (share met, points lost, worst misses), points
lost, missed targets, department scores, completion by year (pure)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.common import add_doc_label, base_layout, doc_labels, sources_note
from dashboard.flags import FLAG, outline

KEYS = ["doc_id", "entity_id", "year", "doc_kind"]
# Completion beyond this is drawn at the edge as ▶ with its value written: 578% never looks like 100%,
# and one outlier does not squeeze the others.
COMPLETION_CAP = 3.0
MET, MISSED, OVER = "#2ca02c", "#d62728", "#1f77b4"


def subject(df: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """The project an indicator belongs to, or the department as a whole."""
    whole = "部门整体" if lang == "zh" else "whole department"
    return df["project"].where(df["scope"] == "project").fillna(whole)


def group(df: pd.DataFrame) -> pd.Series:
    """Indicator group: 二级指标, else 一级指标, else the indicator name."""
    return df["level2"].fillna(df["level1"]).fillna(df["name"])


def completion_grid(ind: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """(department · project) × indicator group, mean completion; rows/columns with no numeric value dropped."""
    df = add_doc_label(ind, labels, lang)
    df["row"] = df["source"].str.split(" · ").str[0] + " · " + subject(df, lang)
    df["group"] = group(df)
    grid = df.pivot_table(index="row", columns="group", values="completion", aggfunc="mean", dropna=False)
    return grid.dropna(how="all").dropna(axis=1, how="all")


def heatmap_figure(ind: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> go.Figure:
    """Mean completion by (department · project) × indicator group; blank where not numeric."""
    df = add_doc_label(ind, labels, lang)
    grid = completion_grid(ind, labels, lang)
    text = [["" if pd.isna(v) else f"{v:.0%}" for v in row] for row in grid.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=list(grid.index),
            text=text,
            texttemplate="%{text}",
            colorscale="RdYlGn",
            zmin=0.5,
            zmax=max(1.5, float(pd.Series(grid.to_numpy().ravel()).max(skipna=True) or 1.5)),
            hovertemplate="%{y}<br>%{x}<br>%{z:.1%}<extra></extra>",
            colorbar={"tickformat": ".0%"},
        )
    )
    fig.update_layout(height=max(300, 40 * len(grid.index) + 150))
    title = "指标完成度（空白：非数值或未披露）" if lang == "zh" else "Indicator completion (blank: not numeric)"
    return base_layout(fig, title, sources_note(df, labels, lang))


def points_lost(ind: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Indicators with both weight and score printed and weight > score."""
    df = ind.dropna(subset=["weight", "score"]).copy()
    df["lost"] = df["weight"] - df["score"]
    df = df[df["lost"] > 0]
    df["subject"] = subject(df, lang)
    df["group"] = group(df)
    return df.sort_values("lost", ascending=False)


def points_lost_figure(lost: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], lang: str = "zh") -> go.Figure:
    """Points lost (分值 − 得分) per indicator, one trace per department (not per document)."""
    df = add_doc_label(lost.head(30), labels, lang)
    fig = go.Figure()
    for eid, part in df.groupby("entity_id", sort=True):
        source = labels.get(eid, eid)
        fig.add_bar(
            name=source,
            y=part["subject"] + " · " + part["name"],
            x=part["lost"],
            orientation="h",
            marker={"color": colors.get(eid), **({"line": outline(part[FLAG])} if FLAG in part else {})},
            customdata=[f"<br>⚠ {f}" if f else "" for f in part[FLAG]] if FLAG in part else None,
            hovertemplate="%{y}<br>%{x:.2f} 分" + ("%{customdata}" if FLAG in part else "") + "<extra>" + source
            + "</extra>",
        )
    fig.update_layout(xaxis_title="失分（分值 − 得分）" if lang == "zh" else "points lost", height=max(300, 24 * len(df) + 150))
    fig.update_yaxes(autorange="reversed")
    title = "失分最多的指标" if lang == "zh" else "Indicators losing most points"
    return base_layout(fig, title, sources_note(df, labels, lang))


def missed(ind: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Targets not met: completion below 100%, or a score below the weight."""
    short = ind["completion"] < 1
    lost = ind["score"] < ind["weight"]
    df = ind[short | lost].copy()
    df["subject"] = subject(df, lang)
    return df.sort_values("completion")


def department_scores(ind: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Per document: the whole-department self-evaluation as printed (projects scope "department":
    score / max_score, budget, actual, execution rate), the sums of department indicators printing both
    weight and score, and the projects with a printed total score. Not printed → NaN (未披露)."""
    keys = ["doc_id", "entity_id", "year", "doc_kind"]
    scoped = projects["scope"] if "scope" in projects else pd.Series("project", index=projects.index)
    whole = projects[scoped == "department"].drop_duplicates(keys).set_index(keys)
    whole = whole[["project", "score", "max_score", "budget_adjusted", "actual", "execution_rate",
                   "stated_execution_rate", "source_ref"]]
    dept = ind[(ind["scope"] == "department")].dropna(subset=["weight", "score"])
    agg = dept.groupby(keys).agg(indicator_score=("score", "sum"), indicator_weight=("weight", "sum"),
                                 n_indicators=("name", "size"))
    proj = projects[scoped != "department"].dropna(subset=["score"]).groupby(keys).agg(
        n_projects_scored=("project", "size"), mean_project_score=("score", "mean")
    )
    out = whole.join(agg, how="outer").join(proj, how="outer").reset_index()
    return out.sort_values(["entity_id", "year"]).reset_index(drop=True)


# ---- the ranked view: one row per project ----------------------------------------------------


def met(ind: pd.DataFrame) -> pd.Series:
    """Per indicator: True met, False missed, NaN not judgeable. Completion ≥ 100% where it is numeric,
    else a score equal to the weight where both are printed."""
    by_completion = (ind["completion"] >= 1).where(ind["completion"].notna())
    by_score = (ind["score"] >= ind["weight"]).where(ind["score"].notna() & ind["weight"].notna())
    return by_completion.fillna(by_score).astype(object).where(by_completion.notna() | by_score.notna())


def project_summary(ind: pd.DataFrame, lang: str = "zh", worst: int = 3) -> pd.DataFrame:
    """Per document and project (or the whole department): indicators, how many can be judged and
    were met, the share met, points lost (Σ 分值 − 得分 where both are printed), the worst misses
    ('名称 45%') and the highest completion. Ranked: lowest share met first, then most points lost."""
    cols = [*KEYS, "subject", "n_indicators", "n_judged", "n_met", "share_met", "points_lost", "worst",
            "min_completion", "max_completion"]
    if ind.empty:
        return pd.DataFrame(columns=cols)
    df = ind.assign(subject=subject(ind, lang), met=met(ind))
    df["lost"] = (df["weight"] - df["score"]).clip(lower=0).where(df["weight"].notna() & df["score"].notna())
    df["judged"] = df["met"].notna()
    df["is_met"] = df["met"].eq(True)
    g = df.groupby([*KEYS, "subject"], sort=False, dropna=False)
    out = g.agg(n_indicators=("name", "size"), n_judged=("judged", "sum"), n_met=("is_met", "sum"),
                points_lost=("lost", "sum"), n_scored=("lost", "count"), min_completion=("completion", "min"),
                max_completion=("completion", "max")).reset_index()
    out["points_lost"] = out["points_lost"].where(out["n_scored"] > 0)  # no weight and score printed: not 0
    out["share_met"] = out["n_met"] / out["n_judged"].where(out["n_judged"] > 0)
    misses = df[df["met"].eq(False)].assign(_c=lambda d: d["completion"].fillna(d["score"] / d["weight"]))
    misses = misses.sort_values("_c").groupby([*KEYS, "subject"], sort=False, dropna=False).head(worst)
    text = misses.assign(_t=[f"{n} {c:.0%}" if pd.notna(c) else str(n) for n, c in zip(misses["name"], misses["_c"],
                                                                                           strict=True)])
    text = text.groupby([*KEYS, "subject"], sort=False, dropna=False)["_t"].agg("；".join).rename("worst").reset_index()
    out = out.merge(text, on=[*KEYS, "subject"], how="left")
    out["worst"] = out["worst"].fillna("")
    out = out.sort_values(["share_met", "points_lost"], ascending=[True, False], na_position="last")
    return out.reset_index(drop=True)[cols]


def _row_label(summary: pd.DataFrame, labels: dict[str, str], lang: str) -> list[str]:
    names = [s if len(s) <= 22 else s[:21] + "…" for s in summary["subject"].astype(str)]
    docs = doc_labels(summary, labels, lang)
    return [f"{n} · {d.split(' · ')[0]} {y}" for n, d, y in zip(names, docs, summary["year"], strict=True)]


def ranked_figure(summary: pd.DataFrame, ind: pd.DataFrame, labels: dict[str, str], lang: str = "zh",
                  top: int = 25) -> go.Figure:
    """The ``top`` projects of ``summary`` (worst first), one row each: share of indicators met, points
    lost, and every indicator's completion as a dot on an axis past 100% (▶ at the edge with its value
    beyond ``COMPLETION_CAP``). Three traces in all, whatever the number of projects."""
    rows = summary.head(top).reset_index(drop=True)
    ylab = _row_label(rows, labels, lang)
    zh = lang == "zh"
    fig = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.02, column_widths=[0.22, 0.18, 0.60],
                        subplot_titles=("达标指标占比" if zh else "share of indicators met",
                                        "失分" if zh else "points lost",
                                        "各指标完成度（100% 为达标）" if zh else "completion of each indicator (100% = met)"))
    fig.add_bar(y=ylab, x=rows["share_met"], orientation="h", marker_color="#6a9fd4", row=1, col=1, showlegend=False,
                text=[f"{v:.0%} ({int(m)}/{int(n)})" if pd.notna(v) else ("未判断" if zh else "n/a")
                      for v, m, n in zip(rows["share_met"], rows["n_met"], rows["n_judged"], strict=True)],
                textposition="inside", insidetextanchor="start", textfont={"size": 11, "color": "white"},
                hovertemplate="%{y}<br>%{x:.0%}<extra></extra>")
    fig.add_bar(y=ylab, x=rows["points_lost"], orientation="h", marker_color="#e377c2", row=1, col=2, showlegend=False,
                text=[f"{v:g}" if pd.notna(v) else "" for v in rows["points_lost"]], textposition="outside",
                cliponaxis=False, textfont={"size": 11},
                hovertemplate="%{y}<br>%{x:.2f}<extra></extra>")
    dots = ind.assign(subject=subject(ind, lang)).merge(rows[[*KEYS, "subject"]].assign(_y=ylab),
                                                        on=[*KEYS, "subject"])
    dots = dots.dropna(subset=["completion"])
    if not dots.empty:
        c = dots["completion"]
        color = [MISSED if v < 1 else OVER if v > 1.2 else MET for v in c]
        fig.add_scatter(y=dots["_y"], x=c.clip(upper=COMPLETION_CAP), mode="markers+text", row=1, col=3,
                        showlegend=False,
                        marker={"color": color, "size": 9, "opacity": 0.8,
                                "symbol": ["triangle-right" if v > COMPLETION_CAP else "circle" for v in c]},
                        text=[f"{v:.0%}" if v > COMPLETION_CAP or v < 0.6 else "" for v in c],
                        textposition=["middle left" if v > COMPLETION_CAP else "middle right" for v in c],
                        textfont={"size": 10},
                        customdata=list(zip(dots["name"], dots["target_text"].fillna(""), dots["actual_text"].fillna(""),
                                            c, strict=True)),
                        hovertemplate="%{y}<br>%{customdata[0]}<br>" + ("目标 " if zh else "target ")
                        + "%{customdata[1]} · " + ("实际 " if zh else "actual ") + "%{customdata[2]}<br>%{customdata[3]:.0%}"
                        + "<extra></extra>")
    fig.add_vline(x=1.0, line_dash="dot", line_color="#555", row=1, col=3)
    fig.update_xaxes(tickformat=".0%", range=[0, 1.05], row=1, col=1)
    fig.update_xaxes(range=[0, COMPLETION_CAP + 0.15], tickformat=".0%", row=1, col=3,
                     tickvals=[0, 0.5, 1, 1.5, 2, 2.5, 3])
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont={"size": 11})
    fig.update_layout(height=max(320, 190 + 26 * len(rows)), bargap=0.3,
                      uniformtext={"minsize": 10, "mode": "show"})
    title = "指标完成情况：按项目排序（达标占比最低者在上）" if zh else "Indicator completion by project (lowest share met first)"
    fig = base_layout(fig, title, sources_note(rows, labels, lang))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 150, "b": 10})
    return fig


# ---- over years ------------------------------------------------------------------------------


def completion_by_year(ind: pd.DataFrame) -> pd.DataFrame:
    """Per department and year (departments with indicators in two or more years): indicators judged,
    share met, median completion."""
    cols = ["entity_id", "year", "n_judged", "share_met", "median_completion"]
    if ind.empty:
        return pd.DataFrame(columns=cols)
    df = ind.assign(met=met(ind))
    df = df[df["met"].notna()].assign(is_met=lambda d: d["met"].eq(True))
    if df.empty:
        return pd.DataFrame(columns=cols)
    out = df.groupby(["entity_id", "year"]).agg(n_judged=("is_met", "size"), share_met=("is_met", "mean"),
                                                median_completion=("completion", "median")).reset_index()
    years = out.groupby("entity_id")["year"].transform("nunique")
    return out[years >= 2].sort_values(["entity_id", "year"]).reset_index(drop=True)[cols]


def trend_figure(by_year: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], lang: str = "zh") -> go.Figure:
    """Share of indicators met per year, one line per department with several years."""
    fig = go.Figure()
    for eid, part in by_year.groupby("entity_id", sort=True):
        name = labels.get(eid, eid)
        fig.add_scatter(x=part["year"], y=part["share_met"], mode="lines+markers", name=name,
                        line={"color": colors.get(eid)}, customdata=part[["n_judged"]].to_numpy(),
                        hovertemplate=name + " %{x}<br>%{y:.0%} · n=%{customdata[0]}<extra></extra>")
    fig.update_xaxes(dtick=1, title="年度" if lang == "zh" else "year")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05], title="达标指标占比" if lang == "zh" else "share met")
    title = "指标达标占比：逐年" if lang == "zh" else "Share of indicators met, by year"
    note = ("每个部门一条线（只含有两年以上数据的部门）" if lang == "zh"
            else "one line per department (departments with two or more years)")
    return base_layout(fig, title, note)
