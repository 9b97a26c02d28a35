"""Numbers and units as Chinese disclosures print them.

A cell or phrase is either a figure, or a placeholder that says the document does not
disclose it (blank, ——, 无, 不适用 …). Placeholders give ``None``: never a zero the
document did not print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from loaders.readers.normalize import clean, no_blanks

PLACEHOLDERS = frozenset(
    {"", "-", "--", "—", "——", "———", "–", "/", "\\", "无", "不适用", "不涉及", "暂无", "null", "none", "n/a", "na", "*", "×"}
)

# Digits with thousands separators, and stray spaces that a page break or a narrow PDF
# column left inside a figure ("50028.5 9", "32000. 00", "1 069.15").
_NUMBER = re.compile(r"^[+-]?(?:\d[\d,\s]*)?\d(?:\s*\.\s*\d[\d\s]*)?$|^[+-]?\d+\s*\.$")

UNIT_FACTORS_TO_WAN = {"元": 1e-4, "万元": 1.0, "亿元": 1e4, "千元": 0.1}


# The parsers ask about the same cells many times over: the answers are cached by the text.
@lru_cache(maxsize=1 << 15)
def is_placeholder(text: str | None) -> bool:
    return text is None or no_blanks(clean(text)).strip("。.").lower() in PLACEHOLDERS


@lru_cache(maxsize=1 << 15)
def parse_number(text: str | None) -> float | None:
    """A plain figure (no unit, no %), or ``None`` for a placeholder or non-number.

    >>> parse_number("1,234.56"), parse_number("50028.5 9"), parse_number("——")
    (1234.56, 50028.59, None)
    """
    if text is None:
        return None
    s = clean(text).strip().strip("　")
    if s.startswith("(") and s.endswith(")"):  # accounting negative
        s = "-" + s[1:-1]
    if not s or is_placeholder(s) or not _NUMBER.match(s):
        return None
    s = no_blanks(s).replace(",", "")
    if s.endswith("."):
        s = s[:-1]
    try:
        return float(s)
    except ValueError:
        return None


_PERCENT = re.compile(r"([+-]?[\d,.\s]+?)\s*%+")


@lru_cache(maxsize=1 << 14)
def parse_percent(text: str | None) -> float | None:
    """``"99.41%"`` → 0.9941. Doubled signs (``6.4%%``) are tolerated; no % → ``None``."""
    if text is None:
        return None
    s = clean(text).strip()
    m = _PERCENT.fullmatch(s)
    if not m:
        return None
    value = parse_number(m.group(1))
    return None if value is None else round(value / 100.0, 10)


def to_wan(amount: float, unit: str | None) -> float:
    """Convert an amount printed in ``unit`` to 万元 (unknown or missing unit: 万元)."""
    factor = UNIT_FACTORS_TO_WAN.get((unit or "万元").strip(), 1.0)
    return round(amount * factor, 6)


_UNIT_DECL = re.compile(r"(?:单位|金额单位)\s*[:：]?\s*(亿元|万元|千元|元)")


@lru_cache(maxsize=1 << 14)
def declared_unit(text: str) -> str | None:
    """The unit a table header declares (``单位：万元``), if any."""
    m = _UNIT_DECL.search(clean(text))
    return m.group(1) if m else None


_BRACKETED_UNIT = re.compile(r"[(（](亿元|万元|千元|元)[)）]")


def bracketed_unit(text: str) -> str | None:
    """The unit a heading cell prints in brackets (``项目资金（万元）``), if any."""
    m = _BRACKETED_UNIT.search(text)
    return m.group(1) if m else None


# --- Indicator values: "≥300 个次", "≤100%", "4800套", "不低于90%", "8万元" -----------------

_COMPARATORS = [
    (re.compile(r"^(?:≥|>=|=>|不低于|不少于|大于等于|大于或等于|至少|达到|≧)"), ">="),
    (re.compile(r"^(?:≤|<=|=<|不高于|不超过|不多于|小于等于|小于或等于|控制在|低于或等于|≦)"), "<="),
    (re.compile(r"^(?:>|大于|高于|超过)"), ">"),
    (re.compile(r"^(?:<|小于|低于|少于)"), "<"),
    (re.compile(r"^(?:=|＝|等于)"), "="),
]
_VALUE = re.compile(r"([+-]?\d[\d,]*(?:\.\d+)?)\s*(%|％)?\s*(.*)$")


@dataclass(frozen=True)
class Measure:
    """A target or actual as printed: comparator, numeric value, unit (``%`` for rates)."""

    text: str
    value: float | None
    unit: str | None
    comparator: str | None

    @property
    def is_numeric(self) -> bool:
        return self.value is not None


@lru_cache(maxsize=1 << 14)  # a Measure is frozen: one answer can be shared
def parse_measure(text: str | None) -> Measure:
    """Split an indicator value into comparator, number and unit.

    Percentages keep their printed scale here (``"90%"`` → 90.0, unit ``%``) so target and
    actual compare on the same footing; qualitative texts (``及时``) have ``value=None``.
    """
    raw = "" if text is None else text
    s = no_blanks(clean(raw))
    comparator = None
    for pattern, comp in _COMPARATORS:
        m = pattern.match(s)
        if m:
            comparator, s = comp, s[m.end():]
            break
    if is_placeholder(s):
        return Measure(raw.strip(), None, None, comparator)
    m = _VALUE.match(s)
    if not m:
        return Measure(raw.strip(), None, None, comparator)
    value = parse_number(m.group(1))
    rest = m.group(3).strip()
    if m.group(2):
        unit = "%"
    else:
        unit = rest.rstrip("以上内下及").strip() or None
        if unit and len(unit) > 6:  # a sentence, not a unit: "8项工作全部完成" stays qualitative
            return Measure(raw.strip(), None, None, comparator)
    if rest.endswith("以上"):
        comparator = comparator or ">="
    elif rest.endswith(("以内", "以下")):
        comparator = comparator or "<="
    return Measure(raw.strip(), value, unit, comparator)


# Units that are the same unit printed two ways (a bare 万 after a figure means 万元).
# Only true synonyms: 个 and 个次, 户 and 人 are different counts and never compare.
UNIT_SYNONYMS = {"万": "万元", "％": "%"}


def same_unit(a: str | None, b: str | None) -> bool:
    """Whether two printed units are the same unit (``None``: no unit printed, compares)."""
    if a is None or b is None:
        return True
    return UNIT_SYNONYMS.get(a.strip(), a.strip()) == UNIT_SYNONYMS.get(b.strip(), b.strip())


def completion(target: Measure, actual: Measure) -> float | None:
    """How far the actual reaches the target, direction-aware (1.0 = met exactly).

    ``<=`` targets are met by staying under: completion = target / actual (capped at
    target-met = 1 when actual is 0 or below the cap). Units must agree (see
    :func:`same_unit`: ``26万元以内`` against ``116.29万`` compares).
    """
    if target.value is None or actual.value is None:
        return None
    if not same_unit(target.unit, actual.unit):
        return None
    t, a = target.value, actual.value
    # A bare zero target (预算调整率 0%, 结转结余率 0%) can only be a ceiling.
    if target.comparator in ("<=", "<") or (t == 0 and target.comparator is None):
        if a <= t:
            return 1.0
        return None if a == 0 else t / a
    if t == 0:
        return 1.0 if a == 0 else None
    return a / t
