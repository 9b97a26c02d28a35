"""Number formatting for display (pure): 万元 with separators; missing is 未披露, never 0."""

from __future__ import annotations

import math

from dashboard.labels import NOT_DISCLOSED

UNIT_WAN = {"zh": "万元", "en": "10k CNY"}
UNIT_YUAN = {"zh": "元", "en": "CNY"}
YUAN_PER_WAN = 10_000


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def fmt_wan(value, lang: str = "zh", unit: bool = True) -> str:
    """12345.6 → '12,345.60 万元'; None/NaN → '未披露'."""
    if is_missing(value):
        return NOT_DISCLOSED[lang]
    text = f"{float(value):,.2f}"
    if not unit:
        return text
    return f"{text} 万元" if lang == "zh" else f"{text} (10k CNY)"


def fmt_yuan(value, lang: str = "zh", unit: bool = False) -> str:
    """A figure in 元 to the whole 元: 1049.2 → '1,049' ('1,049 元'); None/NaN → 未披露."""
    if is_missing(value):
        return NOT_DISCLOSED[lang]
    text = f"{float(value):,.0f}"
    return text if not unit else (f"{text} 元" if lang == "zh" else f"{text} CNY")


def fmt_pct(value, lang: str = "zh", digits: int = 1) -> str:
    """A fraction as a percentage: 0.9941 → '99.4%'; None → 未披露."""
    if is_missing(value):
        return NOT_DISCLOSED[lang]
    return f"{float(value) * 100:.{digits}f}%"


def fmt_count(value, lang: str = "zh") -> str:
    if is_missing(value):
        return NOT_DISCLOSED[lang]
    v = float(value)
    return f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}"
