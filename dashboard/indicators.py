"""绩效指标: completion heatmap, points lost, missed targets, department scores (pure)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.common import add_doc_label, base_layout, sources_note
from dashboard.flags import FLAG, outline


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
            zmax=1.0,
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
    """Points lost (分值 − 得分) per indicator, coloured by department."""
    df = add_doc_label(lost.head(30), labels, lang)
    fig = go.Figure()
    for (eid, source), part in df.groupby(["entity_id", "source"], sort=True):
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
