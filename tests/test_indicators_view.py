"""绩效指标 builders (dashboard/indicators.py): the ranked view per project (share of indicators met,
points lost, worst misses) on an axis past 100%, and completion by year. Pure, no Streamlit."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import indicators as ic

KEYS = {"doc_id": "d1", "entity_id": "e1", "year": 2023, "doc_kind": "performance_self_eval"}


def _ind(rows) -> pd.DataFrame:
    base = {**KEYS, "scope": "project", "level1": "产出指标", "level2": "数量指标", "target_text": "", "actual_text": "",
            "completion": None, "weight": None, "score": None, "deviation_note": None, "source_ref": "L1"}
    return pd.DataFrame([{**base, **r} for r in rows]).astype({"completion": float, "weight": float, "score": float})


@pytest.fixture
def ind():
    return _ind([
        {"project": "甲", "name": "户数", "completion": 0.45, "weight": 10, "score": 4},
        {"project": "甲", "name": "面积", "completion": 5.78, "weight": 10, "score": 10},
        {"project": "甲", "name": "满意度", "completion": 0.9, "weight": 10, "score": 9},
        {"project": "甲", "name": "质量", "weight": 10, "score": 10},  # not numeric: judged by its score
        {"project": "甲", "name": "效益"},  # neither: not judged
        {"project": "乙", "name": "户数", "completion": 1.0, "weight": 5, "score": 5},
        {"project": None, "scope": "department", "name": "预算执行率", "completion": 0.99},
    ])


def test_met_by_completion_else_by_score(ind):
    got = ic.met(ind)
    assert got.isna().tolist() == [False, False, False, False, True, False, False]
    assert got.dropna().tolist() == [False, True, False, True, True, False]


def test_project_summary_ranked(ind):
    s = ic.project_summary(ind)
    assert list(s["subject"]) == ["部门整体", "甲", "乙"]  # lowest share met first
    a = s.set_index("subject").loc["甲"]
    assert (a["n_indicators"], a["n_judged"], a["n_met"]) == (5, 4, 2)
    assert a["share_met"] == 0.5 and a["points_lost"] == 7.0
    assert a["worst"] == "户数 45%；满意度 90%" and a["max_completion"] == pytest.approx(5.78)
    whole = s.set_index("subject").loc["部门整体"]
    assert math.isnan(whole["points_lost"])  # no weight or score printed: not 0
    assert ic.project_summary(ind.head(0)).empty


def test_ranked_figure_goes_past_100_percent(ind):
    s = ic.project_summary(ind)
    fig = ic.ranked_figure(s, ind, {"e1": "某局"})
    assert len(fig.data) == 3  # share met, points lost, every indicator's completion: three traces
    dots = fig.data[2]
    assert fig.layout.xaxis3.range[1] > 3  # the completion axis runs well past 100%
    # 578% is not drawn as 100%: at the edge as ▶, its value written
    at = list(dots.customdata).index(next(c for c in dots.customdata if c[0] == "面积"))
    assert dots.x[at] == ic.COMPLETION_CAP and dots.marker.symbol[at] == "triangle-right" and dots.text[at] == "578%"
    assert dots.marker.color[list(dots.x).index(0.45)] == ic.MISSED
    assert fig.data[0].text[1] == "50% (2/4)"
    assert fig.layout.height < 1000  # compact: one 26 px row per project
    top = ic.ranked_figure(s, ind, {}, top=1)
    assert len(top.data[0].y) == 1


def test_completion_by_year():
    rows = [{"entity_id": e, "year": y, "doc_id": f"{e}{y}", "name": n, "completion": c}
            for e, years in (("a", (2021, 2022)), ("b", (2022,))) for y in years
            for n, c in (("x", 1.0), ("y", 0.5 if y == 2021 else 1.2))]
    df = _ind(rows)
    out = ic.completion_by_year(df)
    assert set(out["entity_id"]) == {"a"} and out["share_met"].tolist() == [0.5, 1.0]
    fig = ic.trend_figure(out, {"a": "甲局"}, {"a": "#111"})
    assert [t.name for t in fig.data] == ["甲局"] and list(fig.data[0].x) == [2021, 2022]
    assert ic.completion_by_year(df.head(0)).empty


def test_heatmap_kept_with_scale_past_100_percent(ind):
    fig = ic.heatmap_figure(ind, {"e1": "某局"})
    assert fig.data[0].zmax >= 1.5
