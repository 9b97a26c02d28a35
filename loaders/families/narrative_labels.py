"""Reading a figure in prose: its label, its budget phase, and whether it is a change.

A figure is read as ``<label><phase words> <amount><unit>``: the label must end right
before the figure (only phase words such as 年初预算数/决算数 and fillers such as 为/总额
between), and what precedes the label must be harmless (a year, the department's name,
其中, an item number …), so that a label is never a tail of some other item. When only
phase words stand before a figure, it repeats the previous label of its clause ("全年预算数
X 万元，决算数 Y 万元"). A change ("比上年增加 X 万元") is never a level, and a phase the
wording leaves open (预算数 alone, outside a budget) gives no row: no row beats a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from loaders.extraction import DocumentMeta
from loaders.families.pattern_ends import ends_with_one, last_chars
from loaders.families.sentences import Passage
from loaders.numbers import parse_number, to_wan
from loaders.readers.source import SourceLine
from loaders.spec.vocabulary import name_pattern

# --- vocabulary ---------------------------------------------------------------------------

_FUND = r"(?:一般公共预算|政府性基金(?:预算)?|基金预算|国有资本经营预算)"
_QUAL = rf"(?:{_FUND}?财政拨款|{_FUND})"  # at least one funding-source word
_CARRY = r"(?:年初|年末)(?:财政拨款)?结转和结余|使用非财政拨款结余|上年结转(?:结余)?"

def _named(item: str) -> str:
    """An item's names from the spec's vocabulary, as a label ("…费" or "…费支出")."""
    return f"(?:{name_pattern(item)})(?:支出)?"


@cache
def _labels() -> tuple[tuple[re.Pattern, str, str | None, frozenset[str] | None], ...]:
    """(label regex, breakdown, 三公 item or None, the characters it can end with); the first
    that ends the text wins. The 三公 items and their neighbours (会议费, 培训费, 机关运行经费)
    are the spec's words."""
    return tuple(_ending(re.compile(f"(?:{p})$"), b, s) for p, b, s in [
        (_named("total"), "sangong", "total"),
        (_named("outbound_travel"), "sangong", "outbound_travel"),
        (_named("vehicle_total"), "sangong", "vehicle_total"),
        (_named("vehicle_purchase"), "sangong", "vehicle_purchase"),
        (_named("vehicle_operation"), "sangong", "vehicle_operation"),
        (_named("official_reception"), "sangong", "official_reception"),
        # 收、支总计 / 收入、支出预算总计 / 收、支总预算 / 预算收支(安排)
        (rf"{_QUAL}?收(?:入)?、?支(?:出)?(?:(?:预算)?总计|总?预算)|预算收支", "total", None),
        # "收入预算总计" / "本年收入预算合计": a budget's wording of the same totals
        (rf"(?:本年)?{_QUAL}(?:本年)?收入(?:预算(?:总计|合计)|总计|合计)?|本年收入(?:预算)?(?:合计)?"
         r"|收入(?:预算)?(?:总计|合计)", "income", None),
        (rf"(?:本年)?{_QUAL}(?:本年)?(?:预算)?支出(?:总计|合计)?|本年支出(?:预算)?(?:合计)?|支出(?:总计|合计)",
         "total", None),
        (rf"{_QUAL}?(?:{_CARRY})", "carryover", None),
        (rf"{_QUAL}?基本支出(?:总额)?", "basic", None),
        (rf"{_QUAL}?项目支出(?:总额)?", "project", None),
        (r"人员经费|人员支出", "personnel", None),
        (r"(?:日常)?公用经费|公用支出", "public", None),
        (rf"{_FUND}?{_named('operating')}", "operating", None),
        (r"政府采购(?:支出总额|(?:货物|工程|服务)支出)?|授予(?:中小|小微)企业合同金额", "procurement", None),
        # Not 三公: figures of their own, printed beside the 三公 paragraph.
        (_named("meeting"), "meeting", None),
        (_named("training"), "training", None),
        (r"上级补助收入|事业收入|经营收入|附属单位上缴收入|其他收入|财政专户核拨收入|单位资金收入|预算收入",
         "income", None),
        (r"上缴上级支出", "remittance", None),
        (r"对附属单位补助支出", "subsidiary", None),
        (r"经营支出", "business", None),
        (r"支出预算|部门预算", "total", None),
    ])


def _ending(pattern: re.Pattern, *what: str | None) -> tuple:
    """``(pattern, *what, the characters a match of it can end with)``."""
    return (pattern, *what, last_chars(pattern))


# A label that carries its phase: "收入预算总计", "收、支总预算", "财政拨款预算支出".
_BUDGET_IN_LABEL = re.compile(r"预算(?:总计|合计)$|(?:收、?支|总)预算$|财政拨款预算支出(?:总计|合计)?$")
# 社会保障和就业支出(类)行政事业单位养老支出(款)行政单位离退休(项)
_NAME = r"[^\s,，;；:：。、()\d.]+?"
_CLASS = re.compile(rf"(?:(?P<code>\d{{3,7}})\s*)?(?:(?P<l1>{_NAME})\(类\))?(?:(?P<l2>{_NAME})\(款\))?"
                    rf"(?:(?P<l3>{_NAME})\(项\))?$")
# Generic totals that a funding-source total's "其中" narrows ("政府性基金…收入总计…其中：本年收入").
_GENERIC = re.compile(rf"^(?:本年(?:收入|支出)(?:合计)?|(?:收入|支出)(?:总计|合计)|{_CARRY})$")

# Phase words, nearest the figure first; "spend" is actual except in a budget.
_PHASES: list[tuple[re.Pattern, str]] = [
    (re.compile(f"(?:{p})$"), m) for p, m in [
        (r"上年(?:度)?决算(?:数)?", "prior_year_actual"),
        (r"上年(?:度)?预算(?:数)?", "prior_year_budget"),
        (r"年初(?:部门)?预算(?:数|安排)?", "budget_initial"),
        (r"(?:全年|调整(?:后)?)(?:部门)?预算(?:数|总额)?", "budget_adjusted"),
        (r"(?:支出)?决算(?:数|支出)?", "actual"),
        (r"(?:预算|全年|实际)?执行(?:数|总额)?|实际(?:支出|拨付)", "actual"),
        (r"预算(?:数|安排)?|预算支出数", "bare_budget"),
        (r"支出数?", "spend"),
    ]
]


@cache
def _phases() -> tuple[tuple[re.Pattern, str, frozenset[str] | None], ...]:
    """``_PHASES`` with the characters each can end with: read on first use, not at import."""
    return tuple(_ending(pattern, phase) for pattern, phase in _PHASES)
_FILLER = re.compile(r"(?:[\s,，:：、()（）\"“”为是共约达和及]|共计|合计|总额|总计|其中|包括|安排|金额|累计|未超出|情况)$")
# What may stand before a label: years, the department's own name, 其中 … (else the label
# is the tail of another item: "(事业单位)公用经费", "政府采购预算支出合计").
_HARMLESS = re.compile(
    r"(?:\s|\d{4}\s*年度?|本年度?|全年|年度|其中|包括|和|及|安排|我|本|部门|单位|本级|\(汇总\)|"
    r"\([\d一二三四五六七八九十]{1,3}\)|" + _FUND + r"(?:财政)?(?:拨款)?安排的?|"
    r"\([^)]*行政单位[^)]*\)|[\u4e00-\u9fff]{2,30}?(?:局|中心|委员会|办公室)|\d{1,2}\s*[.、]|截至[^,]*)*"
)
# A change against another year or the budget, in the words right before the figure.
_CHANGE = re.compile(r"增加|减少|增长|下降|降低|上升|增减|节约|节省|差额|变动|相差|超支|(?<!未)超出|多支|少支")
_AMOUNT = re.compile(r"(?<![\d.,])(-?\d[\d,]*(?:\.\d+)?)\s*(万元|亿元|元)")
_PERCENT = re.compile(r"(?<![\d.,\\])(-?\d[\d,]*(?:\.\d+)?)\s*%+")
_YEAR = re.compile(r"(\d{4})\s*年")
_QUOTES = re.compile(r"[\"“”‘’']")


@dataclass(frozen=True)
class Label:
    item: str  # as printed
    breakdown: str
    level: int | None = 0
    code: str | None = None
    sangong: str | None = None


# Prose is read twice (the figures, then the checks' stated rates) and its phrases repeat:
# the answers of match_label and _read_context are kept, for the labels they were read with
# (a changed spec gives new labels, and forgets them).
_MEMO_SIZE = 1 << 13
_memos: dict[str, dict] = {"label": {}, "context": {}}
_memo_labels: list = [None]


def _memo(name: str) -> dict:
    labels = _labels()
    if _memo_labels[0] is not labels:
        for memo in _memos.values():
            memo.clear()
        _memo_labels[0] = labels
    memo = _memos[name]
    if len(memo) > _MEMO_SIZE:
        memo.clear()
    return memo


def match_label(text: str) -> tuple[Label, str] | None:
    """The label that ends ``text`` and the text before it, if that is harmless."""
    memo = _memo("label")
    if text not in memo:
        memo[text] = _match_label(text)
    return memo[text]


def _match_label(text: str) -> tuple[Label, str] | None:
    for pattern, breakdown, sangong, ends in _labels():
        if not ends_with_one(text, ends):
            continue  # no match of it can end this text: no search
        m = pattern.search(text)
        if m and m.group():
            return Label(m.group(), breakdown, 0, None, sangong), text[: m.start()]
    m = _CLASS.search(text)
    if m and (m["l1"] or m["l2"] or m["l3"]):
        level, name = next((lv, m[f"l{lv}"]) for lv in (3, 2, 1) if m[f"l{lv}"])
        return Label(name, "total", level, m["code"]), text[: m.start()]
    return None


@dataclass
class Figure:
    """One amount in prose, read with its label (if any) and budget phase."""

    amount: float  # 万元
    unit: str
    phase: str | None  # as worded: budget_initial | … | bare_budget | spend | None
    measure: str | None  # resolved; None when the wording leaves it open
    label: Label | None
    change: bool
    line: SourceLine
    start: int
    end: int


def _read_context(context: str) -> tuple[Label | None, str, tuple[str, ...]]:
    """Peel phase words and fillers off the end until a label ends the text."""
    memo = _memo("context")
    if context not in memo:
        memo[context] = _peel(context)
    return memo[context]


def _peel(context: str) -> tuple[Label | None, str, tuple[str, ...]]:
    phases: list[str] = []
    text = _QUOTES.sub("", context)
    while text:
        found = match_label(text)
        if found:
            label, prefix = found
            if _HARMLESS.fullmatch(_tail(prefix)):
                if not phases and _BUDGET_IN_LABEL.search(label.item):
                    phases.append("bare_budget")  # "收入预算总计": the phase is in the label
                return label, _tail(prefix), tuple(phases)
        for pattern, phase, ends in _phases():
            m = pattern.search(text) if ends_with_one(text, ends) else None
            if m:
                phases.append(phase)
                # "基本支出决算数": the 支出 a phase may begin with can end the label instead
                keep = 2 if m.group().startswith("支出") and _label_ends(text[: m.start() + 2]) else 0
                text = text[: m.start() + keep]
                break
        else:
            m = _FILLER.search(text)
            if not m:
                break
            text = text[: m.start()]
    return None, text, tuple(phases)


def _label_ends(text: str) -> bool:
    found = match_label(text)
    return bool(found) and found[0].breakdown not in ("total",) and bool(_HARMLESS.fullmatch(_tail(found[1])))


_TAIL_START = re.compile(r"[,，;；:：。、]|(?=\d{4}\s*年)|(?=\([一二三四五六七八九十\d]{1,2}\))")


def _tail(text: str) -> str:
    """The words just before a label: after the last punctuation or named year."""
    return _TAIL_START.split(text)[-1]


def _resolve(phase: str | None, prefix: str, meta: DocumentMeta, inherited: str | None) -> str | None:
    budget_doc = meta.doc_kind == "budget"
    years = [int(y) for y in _YEAR.findall(prefix)]
    if years and years[-1] > meta.year:
        return None  # next year's plan: not this document's phases
    if "上年" in prefix or (years and years[-1] < meta.year):
        if phase in ("budget_initial", "budget_adjusted", "bare_budget", "prior_year_budget") or (
                phase is None and budget_doc):
            return "prior_year_budget"
        return "prior_year_actual"
    if phase == "bare_budget":
        return "budget_initial" if budget_doc else None
    if phase == "spend":
        return "budget_initial" if budget_doc else "actual"
    return phase or inherited or ("budget_initial" if budget_doc else "actual")


def read_figures(clause: Passage, meta: DocumentMeta, inherited: str | None = None,
                 subject: Label | None = None) -> list[Figure]:
    """The amounts of one clause with the label and phase the prose gives each."""
    figures: list[Figure] = []
    if "元" not in clause.text:
        return figures  # no amount (万元 / 亿元 / 元) in the clause: most of the prose
    last, cursor = subject, 0
    for m in _AMOUNT.finditer(clause.text):
        value = parse_number(m.group(1))
        context = clause.text[cursor : m.start()]
        cursor = m.end()
        if value is None:
            continue
        label, rest, phases = _read_context(context)
        prefix = rest if label else ""
        if label is None:
            tail = _tail(rest)
            if "部门预算" in context and _HARMLESS.fullmatch(tail):
                label, prefix = Label("部门预算", "total"), tail  # 年初部门预算数为 X 万元
            elif not re.sub(r"与\S{0,8}?相比|[\s,，:：()]", "", rest) and last is not None:
                label = last  # "…全年预算数 X 万元，决算数 Y 万元": the same subject
        # 支出 alone is the weakest phase word: "预算支出" is a budget, "支出决算" an actual.
        phase = next((p for p in phases if p != "spend"), phases[0] if phases else None)
        change = bool(_CHANGE.search(re.split(r"[,，;；:：。]", context)[-1]))
        measure = _resolve(phase, prefix, meta, inherited)
        figures.append(Figure(to_wan(value, m.group(2)), m.group(2), phase, measure, label, change,
                              clause.line_at(m.start(1)), m.start(), m.end()))
        if label is not None and not change and measure is not None:
            last, inherited = label, measure
    return figures
