"""The pages' speed furniture: per-selection memo of pure builders, the plain print copy."""

from __future__ import annotations

import pandas as pd

from dashboard import exports, ui
from dashboard.common import Filters
from dashboard.data import Selection


class _DS:
    def __init__(self, sel: Selection):
        self.selection = sel


def test_cached_once_per_selection_language_and_dependency(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDGET_DATA_DIR", str(tmp_path))
    calls = []

    def build(df, item):
        calls.append(item)
        return len(df)

    df = pd.DataFrame({"a": [1, 2]})
    a, b = _DS(Selection(("x",))), _DS(Selection(("y",)))
    zh, en = Filters(lang="zh"), Filters(lang="en")
    assert ui.cached(a, zh, build, df, "i") == 2
    ui.cached(a, zh, build, df, "i")
    assert calls == ["i"]  # the same selection, language and scalar: not computed again
    ui.cached(b, zh, build, df, "i")
    ui.cached(a, en, build, df, "i")
    ui.cached(a, zh, build, df, "j")
    ui.cached(a, zh, build, df, "i", depends=(0.5,))
    assert len(calls) == 5
    # Two lambdas are told apart by where they are written.
    assert ui.cached(a, zh, lambda: "one") == "one"
    assert ui.cached(a, zh, lambda: "two") == "two"


def test_cached_without_a_selection_computes_each_time():
    calls = []
    ui.cached(object(), Filters(), lambda: calls.append(1))
    ui.cached(object(), Filters(), lambda: calls.append(1))
    assert len(calls) == 2


def test_print_copy_escapes_and_leaves_missing_cells_blank():
    shown = pd.DataFrame({"项目<b>": ["a&b", None], "金额": [float("nan"), 1.5]})
    html = exports.print_table_html(shown, "en")
    assert "<th>项目&lt;b&gt;</th>" in html and "<td>a&amp;b</td>" in html
    assert "<td></td><td>1.5</td>" in html and "nan" not in html.lower().replace("金额", "")
    assert "more rows" not in html
