"""Small pieces every section uses (pure): phase names, units, charts built without failing."""

from __future__ import annotations

import inspect
import sys

from briefing.context import Context
from briefing.model import Chart
from dashboard.fmt import fmt_pct, fmt_wan, is_missing
from dashboard.labels import MEASURE, label


def phase(m: str, ctx: Context) -> str:
    return label(MEASURE, m, ctx.lang)


def wan(v, ctx: Context) -> str:
    """'21,488.85 万元' (zh) / '21,488.85 (10k CNY)'."""
    return fmt_wan(v, ctx.lang)


def pct(v, ctx: Context) -> str:
    return fmt_pct(v, ctx.lang)


def signed_wan(v, ctx: Context) -> str:
    if is_missing(v):
        return fmt_wan(v, ctx.lang)
    return ("+" if float(v) > 0 else "") + fmt_wan(v, ctx.lang)


def join(items: list[str], ctx: Context) -> str:
    return ("、" if ctx.lang == "zh" else ", ").join(items)


def sentence_end(ctx: Context) -> str:
    return "。" if ctx.lang == "zh" else "."


def chart(build, name: str, *args, height: int = 520, **kwargs) -> Chart | None:
    """A dashboard figure as a chart of the brief. The dashboard's builders change while the brief
    is in use: a builder that fails leaves the message without its chart, said on stderr."""
    try:
        fig = build(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - a chart is never worth the whole brief
        print(f"briefing: chart {name} left out ({type(exc).__name__}: {exc})", file=sys.stderr)
        return None
    if fig is None or not getattr(fig, "data", None):
        return None
    from briefing import charts

    out = Chart(fig, name, height=height)
    charts.prefetch(out)
    return out


def default_band() -> tuple[float, float]:
    """The project execution band the dashboard flags outside of (its ``flagged`` defaults)."""
    from dashboard.projects import flagged

    params = inspect.signature(flagged).parameters
    low, high = params.get("low"), params.get("high")
    return (float(low.default) if low is not None and low.default is not inspect._empty else 0.9,
            float(high.default) if high is not None and high.default is not inspect._empty else 1.0)
