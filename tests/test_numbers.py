"""Number parsing at the edges: property tests and the forms the seeds print."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.numbers import (
    completion,
    declared_unit,
    is_placeholder,
    parse_measure,
    parse_number,
    parse_percent,
    same_unit,
    to_wan,
)
from loaders.readers.text import strip_markup

amounts = st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(amounts)
def test_thousands_separators_round_trip(value) -> None:
    assert parse_number(f"{value:,.2f}") == pytest.approx(float(value))


@given(amounts)
def test_full_width_digits_parse_like_ascii(value) -> None:
    text = f"{value:.2f}"
    full = text.translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))
    assert parse_number(full) == parse_number(text)


@given(amounts, st.integers(min_value=1, max_value=8))
def test_a_space_inside_a_figure_is_joined(value, position) -> None:
    text = f"{abs(value):.2f}"
    cut = min(position, len(text) - 1)
    assert parse_number(text[:cut] + " " + text[cut:]) == pytest.approx(float(abs(value)))


@given(amounts)
def test_markdown_bold_and_bookmarks_are_noise(value) -> None:
    # The text reader removes what converters leave in text files; parsers never see it.
    text = f"{value:.2f}"
    assert parse_number(strip_markup(f"**{text}**")) == parse_number(text)
    assert parse_number(strip_markup(f"[bookmark: _Toc1]{text}")) == parse_number(text)
    assert strip_markup("$\\geq$90%") == "≥90%"


@given(st.decimals(min_value=-1000, max_value=1000, places=2))
def test_percent_is_a_fraction(value) -> None:
    assert parse_percent(f"{value}%") == pytest.approx(float(value) / 100)
    assert parse_percent(f"{value}％") == pytest.approx(float(value) / 100)


@pytest.mark.parametrize("text", ["", "  ", "——", "—", "-", "无", "不适用", "　", None])
def test_placeholders_are_not_zero(text) -> None:
    assert parse_number(text) is None
    assert is_placeholder(text)


@pytest.mark.parametrize("text", ["0", "0.00"])
def test_a_printed_zero_is_zero(text) -> None:
    assert parse_number(text) == 0.0


@pytest.mark.parametrize("text", ["abc", "2023年", "1.2.3", "12万元", "50%"])
def test_non_figures_are_none(text) -> None:
    assert parse_number(text) is None


def test_seed_forms() -> None:
    assert parse_number("50028.5 9") == 50028.59  # Handan after a page break
    assert parse_number("32000. 00") == 32000.0
    assert parse_number("21,488.85") == 21488.85
    assert parse_percent("6.4%%") == pytest.approx(0.064)  # Hanyang's doubled sign
    assert parse_percent("447%") == pytest.approx(4.47)


@pytest.mark.parametrize(
    ("amount", "unit", "wan"),
    [(12345.0, "元", 1.2345), (2.5, "亿元", 25000.0), (7.22, "万元", 7.22), (7.22, None, 7.22)],
)
def test_units_convert_to_wan(amount, unit, wan) -> None:
    assert to_wan(amount, unit) == pytest.approx(wan)


def test_declared_unit() -> None:
    assert declared_unit("单位：万元") == "万元"
    assert declared_unit("金额单位：元") == "元"
    assert declared_unit("部门：某局") is None


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("≥300 个次", 300, "个次", ">="),
        ("≤100%", 100, "%", "<="),
        ("4800套", 4800, "套", None),
        ("不低于90%", 90, "%", ">="),
        ("及时", None, None, None),
        ("无", None, None, None),
    ],
)
def test_parse_measure(text, value, unit, comparator) -> None:
    m = parse_measure(text)
    assert (m.value, m.unit, m.comparator) == (value, unit, comparator)


def test_completion_is_direction_aware() -> None:
    assert completion(parse_measure("4800套"), parse_measure("5743套")) == pytest.approx(5743 / 4800)
    assert completion(parse_measure("≤100%"), parse_measure("74.74%")) == 1.0
    assert completion(parse_measure("≤10%"), parse_measure("20%")) == pytest.approx(0.5)
    assert completion(parse_measure("及时"), parse_measure("及时")) is None


def test_units_that_are_the_same_unit_compare() -> None:
    assert same_unit("万", "万元") and same_unit("%", "％") and same_unit("元", "元") and same_unit(None, "个")
    assert not same_unit("个", "个次") and not same_unit("万元", "元") and not same_unit("户", "人")
    # 岳阳 附件3-2: target "26万元以内", actual "116.29万" (overspent: 26 / 116.29).
    assert completion(parse_measure("26万元以内"), parse_measure("116.29万")) == pytest.approx(26 / 116.29)
    assert completion(parse_measure("8万"), parse_measure("8万元")) == 1.0
    assert completion(parse_measure("≥300个"), parse_measure("320个次")) is None  # different counts
    assert completion(parse_measure("5万元"), parse_measure("50000元")) is None  # 万元 vs 元: not converted


def test_a_bare_zero_target_is_a_ceiling() -> None:
    # Regression: 汉阳 L1339 "预算调整率 | 0% | 354.62%" had no completion, so the miss was invisible.
    assert completion(parse_measure("0%"), parse_measure("354.62%")) == 0.0
    assert completion(parse_measure("0%"), parse_measure("0%")) == 1.0
