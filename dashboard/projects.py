"""项目执行: execution rates across departments, budget vs actual, flagged projects with the reasons
their documents state, and the trend over years (pure)."""

from __future__ import annotations

import hashlib

import pandas as pd
import plotly.graph_objects as go

from dashboard.common import add_doc_label, base_layout, doc_labels, sources_note
from dashboard.flags import FLAG, add_flag_points

BAND_COLOR = "rgba(44,160,44,0.13)"
# Rates beyond this are drawn at the edge with their value written (one 447% project must not
# squeeze every other point into the 90–100% band).
AXIS_CAP = 2.0


def project_rows(projects: pd.DataFrame) -> pd.DataFrame:
    """Rows for single projects (scope "project"); the whole-department self-evaluation is apart."""
    if "scope" not in projects:
        return projects
    return projects[projects["scope"] != "department"]


def department_rows(projects: pd.DataFrame) -> pd.DataFrame:
    """The whole-department self-evaluation rows (部门整体支出): budget, actual, rate, score."""
    if "scope" not in projects:
        return projects.head(0)
    return projects[projects["scope"] == "department"].sort_values(["entity_id", "year"])


def flagged(projects: pd.DataFrame, low: float = 0.9, high: float = 1.0) -> pd.DataFrame:
    """Projects whose execution rate is below ``low`` or above ``high`` (rate not disclosed: not flagged)."""
    projects = project_rows(projects)
    rate = projects["execution_rate"]
    out = projects[(rate < low) | (rate > high)].copy()
    out["flag"] = ["low" if r < low else "high" for r in out["execution_rate"]]
    return out.sort_values("execution_rate")


def ranked_departments(projects: pd.DataFrame, low: float = 0.9, high: float = 1.0) -> list[str]:
    """The departments with rated projects, most projects outside [low, high] first, then most rated
    (ties by id). What the page's first chart draws the first of."""
    rows = project_rows(projects).dropna(subset=["execution_rate"])
    rate = rows["execution_rate"]
    counts = ((rate < low) | (rate > high)).groupby(rows["entity_id"]).agg(["sum", "size"])
    return list(counts.sort_values(["sum", "size"], ascending=False, kind="stable").index)


def _jitter(keys) -> list[float]:
    """A fixed vertical offset per project (from a hash of its name), so that equal rates do not hide
    one another and a point never moves between reruns."""
    out = []
    for k in keys:
        h = int.from_bytes(hashlib.blake2s(str(k).encode("utf-8"), digest_size=2).digest(), "big")
        out.append((h / 65535 - 0.5) * 0.5)
    return out


def _label_positions(rate: pd.Series, low: float, high: float, over: pd.Series) -> list[str]:
    """Where each outlier's name goes: away from the band (left of a low rate, right of a high one,
    left of a point at the edge), above and below in turn so that neighbours do not overwrite."""
    out, k = [], 0
    for r, v in zip(rate, over, strict=True):
        if v:
            out.append("middle left")
            continue
        side = "left" if r < low else "right" if r > high else None
        if side is None:
            out.append("top center")
            continue
        out.append(("top " if k % 2 == 0 else "bottom ") + side)
        k += 1
    return out


def _short(text, n: int = 60) -> str:
    text = "" if not isinstance(text, str) else text
    return text if len(text) <= n else text[: n - 1] + "…"


def rate_figure(
    projects: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], low: float, high: float,
    lang: str = "zh", reasons: pd.DataFrame | None = None,
) -> go.Figure:
    """Every project's execution rate as a dot on its department's row, the band [low, high] shaded.

    One trace for all points (colour per department), so the chart stays one trace at any number
    of documents. A rate beyond ``AXIS_CAP`` sits at the edge as ▶ with its value written. Points
    outside the band name their project; with ``reasons`` (doc_id, project, reason) the hover gives
    the reason the document states.
    """
    df = add_doc_label(project_rows(projects).dropna(subset=["execution_rate"]), labels, lang)
    fig = go.Figure()
    depts = sorted(df["entity_id"].unique(), key=lambda e: labels.get(e, e)) if not df.empty else []
    row = {e: i for i, e in enumerate(depts)}
    if not df.empty:
        if reasons is not None and not reasons.empty and "reason" in reasons:
            df = df.merge(reasons[["doc_id", "project", "reason"]].drop_duplicates(["doc_id", "project"]),
                          on=["doc_id", "project"], how="left")
        else:
            df = df.assign(reason="")
        rate = df["execution_rate"]
        cap = AXIS_CAP if rate.max() > AXIS_CAP else max(1.2, high + 0.1, rate.max() * 1.05)
        y = [row[e] + j for e, j in zip(df["entity_id"], _jitter(df["doc_id"] + df["project"].astype(str)),
                                         strict=True)]
        outside = (rate < low) | (rate > high)
        over = rate > cap
        why = "原因：" if lang == "zh" else "reason: "
        fig.add_scatter(
            x=rate.clip(upper=cap), y=y, mode="markers+text",
            marker={"color": [colors.get(e, "#555") for e in df["entity_id"]], "size": 10,
                    "symbol": ["triangle-right" if o else "circle" for o in over],
                    "line": {"width": 1, "color": "white"}},
            text=[(_short(p, 14) + (f" {r:.0%}" if o else "")) if out else ""
                  for p, r, o, out in zip(df["project"], rate, over, outside, strict=True)],
            textposition=_label_positions(rate, low, high, over), textfont={"size": 11},
            customdata=list(zip(df["project"], df["source"], rate,
                                [f"<br>{why}{_short(r, 80)}" if isinstance(r, str) and r else "" for r in df["reason"]],
                                strict=True)),
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]:.1%}%{customdata[3]}<extra></extra>",
            showlegend=False,
        )
        if FLAG in df:
            add_flag_points(fig, rate.clip(upper=cap), y, df[FLAG], lang)
        fig.update_xaxes(range=[min(0.0, rate.min() - 0.05), cap + 0.08])
    fig.add_vrect(x0=low, x1=high, fillcolor=BAND_COLOR, line_width=0, layer="below",
                  annotation_text=f"{low:.0%}–{high:.0%}", annotation_position="top left")
    axis = "执行率（决算 / 调整预算）" if lang == "zh" else "Execution rate (actual / adjusted budget)"
    fig.update_xaxes(tickformat=".0%", title=axis, zeroline=False)
    fig.update_yaxes(tickvals=list(range(len(depts))), ticktext=[labels.get(e, e) for e in depts],
                     range=[max(len(depts) - 0.4, 0.6), -0.6], showgrid=False)  # the first name on top
    fig.update_layout(height=max(380, 200 + 90 * len(depts)))
    title = "项目执行率（绿色带为正常区间）" if lang == "zh" else "Project execution rate (green band: expected range)"
    return base_layout(fig, title, sources_note(df, labels, lang))


def scatter_figure(projects: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], lang: str = "zh") -> go.Figure:
    """Adjusted budget (x) against actual (y) on log axes; the diagonal is 100% execution. One trace."""
    rows = project_rows(projects)
    df = rows[(rows["budget_adjusted"] > 0) & (rows["actual"] > 0)]
    df = add_doc_label(df, labels, lang)
    fig = go.Figure()
    if not df.empty:
        fig.add_scatter(
            x=df["budget_adjusted"], y=df["actual"], mode="markers", showlegend=False,
            marker={"color": [colors.get(e, "#555") for e in df["entity_id"]], "size": 9},
            customdata=list(zip(df["project"], df["source"], strict=True)),
            hovertemplate=("%{customdata[0]}<br>%{customdata[1]}<br>调整预算 %{x:,.2f} 万元<br>决算 %{y:,.2f} 万元"
                           "<extra></extra>" if lang == "zh" else
                           "%{customdata[0]}<br>%{customdata[1]}<br>adjusted budget %{x:,.2f}<br>actual %{y:,.2f} "
                           "(10k CNY)<extra></extra>"),
        )
        lo = min(df["budget_adjusted"].min(), df["actual"].min())
        hi = max(df["budget_adjusted"].max(), df["actual"].max())
        fig.add_scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="100%", line={"dash": "dot", "color": "grey"})
    if FLAG in df:
        add_flag_points(fig, df["budget_adjusted"], df["actual"], df[FLAG], lang)
    fig.update_xaxes(type="log", title="调整预算（万元）" if lang == "zh" else "Adjusted budget (10k CNY)")
    fig.update_yaxes(type="log", title="决算（万元）" if lang == "zh" else "Actual (10k CNY)")
    title = "项目预算与决算（对数坐标）" if lang == "zh" else "Project budget vs actual (log axes)"
    return base_layout(fig, title, sources_note(df, labels, lang))


# ---- over years ------------------------------------------------------------------------------


def rate_by_year(projects: pd.DataFrame, low: float = 0.9, high: float = 1.0) -> pd.DataFrame:
    """Per department and year (departments with projects rated in two or more years): projects
    rated, median rate, share inside [low, high]. One series per department: each row is one year."""
    df = project_rows(projects).dropna(subset=["execution_rate"])
    cols = ["entity_id", "year", "n_projects", "median_rate", "share_in_band", "sources"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    inside = df["execution_rate"].between(low, high)
    out = df.assign(inside=inside).groupby(["entity_id", "year"]).agg(
        n_projects=("execution_rate", "size"), median_rate=("execution_rate", "median"),
        share_in_band=("inside", "mean"), sources=("doc_id", "nunique")).reset_index()
    years = out.groupby("entity_id")["year"].transform("nunique")
    return out[years >= 2].sort_values(["entity_id", "year"]).reset_index(drop=True)[cols]


def trend_figure(by_year: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], low: float,
                 high: float, lang: str = "zh") -> go.Figure:
    """Median execution rate per year, one line per department with several years, band shaded."""
    fig = go.Figure()
    for eid, part in by_year.groupby("entity_id", sort=True):
        name = labels.get(eid, eid)
        fig.add_scatter(x=part["year"], y=part["median_rate"], mode="lines+markers", name=name,
                        line={"color": colors.get(eid)},
                        customdata=list(zip(part["n_projects"], part["share_in_band"], strict=True)),
                        hovertemplate=name + " %{x}<br>%{y:.1%} · n=%{customdata[0]} · "
                        + ("区间内 " if lang == "zh" else "in band ") + "%{customdata[1]:.0%}<extra></extra>")
    fig.add_hrect(y0=low, y1=high, fillcolor=BAND_COLOR, line_width=0, layer="below")
    fig.update_xaxes(dtick=1, title="年度" if lang == "zh" else "year")
    fig.update_yaxes(tickformat=".0%", title="执行率中位数" if lang == "zh" else "median execution rate")
    title = "项目执行率：逐年" if lang == "zh" else "Project execution rate by year"
    note = ("每个部门一条线（只含有两年以上数据的部门）" if lang == "zh"
            else "one line per department (departments with two or more years)")
    return base_layout(fig, title, note)


def reasons_table(found: pd.DataFrame, projects: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """Every stated reason of the flagged projects (long form), with the document and the line."""
    from dashboard.reasons import FROM

    if found.empty:
        return found.assign(source=[], kind_name=[], source_ref=[])
    keys = projects[["doc_id", "entity_id", "year", "doc_kind"]].drop_duplicates("doc_id")
    out = found.merge(keys, on="doc_id", how="left")
    out["source"] = doc_labels(out, labels, lang)
    out["kind_name"] = [FROM[k][0 if lang == "zh" else 1] for k in out["kind"]]
    out["source_ref"] = out["reason_ref"]
    return out
