"""Facts stated in prose, for every family: headline totals, 三公, counts, staff, rates.

Sentences come joined across hard wraps (:mod:`loaders.families.sentences`), so a figure's
``source_ref`` is the line it was printed on even when its label is lines above.

A figure is read as ``<label><phase words> <amount><unit>``: the label must end right
before the figure (only phase words such as 年初预算数/决算数 and fillers such as 为/总额
between), and what precedes the label must be harmless (a year, the department's name,
其中 …), so that a label is never a tail of some other item. When only phase words stand
before a figure, it repeats the previous label of its clause ("全年预算数 X 万元，决算数
Y 万元"). A change ("比上年增加 X 万元") is never a level, and a phase the wording
leaves open (预算数 alone, outside a budget) gives no row: no row beats a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from loaders.extraction import DocumentMeta, Extraction
from loaders.families.sentences import Passage, is_heading, paragraphs, sentences
from loaders.identity.detect import detect
from loaders.numbers import parse_number, to_wan
from loaders.readers.source import Source, SourceLine

# --- vocabulary ---------------------------------------------------------------------------

_FUND = r"(?:一般公共预算|政府性基金预算|(?:政府性)?基金预算|国有资本经营预算)"
_QUAL = rf"(?:{_FUND}?财政拨款|{_FUND})"  # at least one funding-source word
_CARRY = r"(?:年初|年末)(?:财政拨款)?结转和结余|使用非财政拨款结余|上年结转(?:结余)?"

# (label regex, breakdown, 三公 item or None); the first that ends the text wins.
_LABELS: list[tuple[re.Pattern, str, str | None]] = [
    (re.compile(f"(?:{p})$"), b, s) for p, b, s in [
        (r"(?:财政拨款)?三公经费(?:财政拨款)?(?:总)?(?:支出)?", "sangong", "total"),
        (r"因公出国\(境\)费(?:用)?(?:支出)?", "sangong", "outbound_travel"),
        (r"公务用车购置及运(?:行(?:维护)?|维)费(?:支出)?", "sangong", "vehicle_total"),
        (r"公务用车购置费(?:支出)?", "sangong", "vehicle_purchase"),
        (r"公务用车运(?:行(?:维护)?|维)费(?:支出)?", "sangong", "vehicle_operation"),
        (r"公务接待费(?:支出)?", "sangong", "official_reception"),
        (rf"{_QUAL}?收、?支总计", "total", None),
        (rf"(?:本年)?{_QUAL}(?:本年)?收入(?:总计|合计)?|本年收入(?:合计)?|收入(?:总计|合计)", "income", None),
        (rf"(?:本年)?{_QUAL}(?:本年)?支出(?:总计|合计)?|本年支出(?:合计)?|支出(?:总计|合计)", "total", None),
        (rf"{_QUAL}?(?:{_CARRY})", "carryover", None),
        (rf"{_QUAL}?基本支出(?:总额)?", "basic", None),
        (rf"{_QUAL}?项目支出(?:总额)?", "project", None),
        (r"人员经费|人员支出", "personnel", None),
        (r"(?:日常)?公用经费|公用支出", "public", None),
        (r"(?:机关)?运行经费(?:支出)?", "operating", None),
        (r"政府采购(?:支出总额|(?:货物|工程|服务)支出)?|授予(?:中小|小微)企业合同金额", "procurement", None),
        (r"上级补助收入|事业收入|经营收入|附属单位上缴收入|其他收入|财政专户核拨收入|单位资金收入|预算收入",
         "income", None),
        (r"上缴上级支出", "remittance", None),
        (r"对附属单位补助支出", "subsidiary", None),
        (r"经营支出", "business", None),
        (r"支出预算|部门预算", "total", None),
    ]
]
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
        (r"预算(?:数|安排)?", "bare_budget"),
        (r"支出", "spend"),
    ]
]
_FILLER = re.compile(r"(?:[\s,，:：、()（）\"“”为是共约达和及]|共计|合计|总额|总计|其中|包括|安排|金额|累计|未超出|情况)$")
# What may stand before a label: years, the department's own name, 其中 … (else the label
# is the tail of another item: "(事业单位)公用经费", "政府采购预算支出合计").
_HARMLESS = re.compile(
    r"(?:\s|\d{4}\s*年度?|本年度?|全年|年度|其中|包括|和|及|安排|我|本|部门|单位|本级|\(汇总\)|"
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


def match_label(text: str) -> tuple[Label, str] | None:
    """The label that ends ``text`` and the text before it, if that is harmless."""
    for pattern, breakdown, sangong in _LABELS:
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


def _read_context(context: str) -> tuple[Label | None, str, list[str]]:
    """Peel phase words and fillers off the end until a label ends the text."""
    phases: list[str] = []
    text = _QUOTES.sub("", context)
    while text:
        found = match_label(text)
        if found:
            label, prefix = found
            if _HARMLESS.fullmatch(_tail(prefix)):
                return label, _tail(prefix), phases
        for pattern, phase in _PHASES:
            m = pattern.search(text)
            if m:
                phases.append(phase)
                text = text[: m.start()]
                break
        else:
            m = _FILLER.search(text)
            if not m:
                break
            text = text[: m.start()]
    return None, text, phases


def _tail(text: str) -> str:
    """The words just before a label: after the last punctuation or named year."""
    return re.split(r"[,，;；:：。、]|(?=\d{4}\s*年)", text)[-1]


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


# --- extraction ---------------------------------------------------------------------------


def extract(source: Source, meta: DocumentMeta, ex: Extraction) -> None:
    seen: set[tuple] = set()
    # The section's latest first total, for "与年初预算相比，…": that sentence may stand in a
    # paragraph of its own, after one of changes only (乌鲁木齐 四、). A heading ends it.
    subject: Label | None = None
    prose = paragraphs(source)
    for paragraph in prose:
        if is_heading(paragraph.text):
            subject = None
            continue
        first: Label | None = None  # this paragraph's first total
        inherited: str | None = None  # phase of the last figure, for a sentence "其中：…"
        for sentence in sentences(paragraph):
            measure = inherited if re.match(r"\s*其中", sentence.text) else None
            carry = subject if re.match(r"\s*与\S{0,8}?相比", sentence.text) else None
            parent: Label | None = None
            for clause in sentence.split(";；"):
                for fig in read_figures(clause, meta, measure, carry):
                    if fig.change or fig.label is None or fig.measure is None:
                        continue
                    parent = parent or fig.label
                    if first is None:
                        first = subject = fig.label
                    _add_figure(ex, fig, _qualified(fig.label, parent), seen)
                    measure = fig.measure
                _add_counts(ex, clause, meta)
            inherited = measure
    _set_staff(prose, ex)


def _qualified(label: Label, parent: Label) -> Label:
    """政府性基金…收入总计 X，其中：本年收入 Y → Y is 政府性基金…本年收入, not the department's."""
    m = re.match(rf"(?:本年)?({_QUAL})", parent.item)
    if label is parent or not m or not _GENERIC.match(label.item) or "财政拨款" in label.item:
        return label
    return replace(label, item=m.group(1) + label.item)


def _add_figure(ex: Extraction, fig: Figure, label: Label, seen: set[tuple]) -> None:
    if label.sangong:
        ex.add("sangong", fig.line, item=label.sangong, measure=fig.measure, amount=fig.amount,
               unit_as_printed=fig.unit, origin="narrative")
        return
    key = (label.item, label.code, label.level, fig.measure, fig.amount)
    if key in seen:  # the same statement printed again (a report and its summary)
        return
    seen.add(key)
    ex.add("budget_lines", fig.line, table="narrative", code=label.code, item=label.item,
           level=label.level, breakdown=label.breakdown, measure=fig.measure, amount=fig.amount,
           unit_as_printed=fig.unit)


# 三公 counts: what must end the text before the count, its unit, item, what.
_COUNT = re.compile(r"(?<![\d.])(\d+)\s*(辆|个|人次|批次)")
_COUNT_SUBJECTS = [
    (re.compile(r"公务用车购置(?:数|数量)?(?:为|共)?$"), "辆", "vehicle_purchase", "vehicles"),
    (re.compile(r"公务用车保有(?:量|数)?(?:为|共)?$"), "辆", "vehicle_total", "vehicles"),
    (re.compile(r"出国(?:\(境\))?团组(?:数)?(?:为|共)?$"), "个", "outbound_travel", "groups"),
    (re.compile(r"接待(?:批次)?(?:为|共)?$"), "批次", "official_reception", "batches"),
    (re.compile(r"出国(?:\(境\))?(?:人数|累计|共)?$"), "人次", "outbound_travel", "persons"),
    (re.compile(r"接待(?:人数|累计|共)?$"), "人次", "official_reception", "persons"),
]


def _add_counts(ex: Extraction, clause: Passage, meta: DocumentMeta) -> None:
    measure = "budget_initial" if meta.doc_kind == "budget" else "actual"
    item, cursor = None, 0  # item of the previous count: "团组 0 个，累计 0 人次"
    for m in _COUNT.finditer(clause.text):
        before = _QUOTES.sub("", clause.text[cursor : m.start()]).replace(" ", "")
        cursor = m.end()
        if _CHANGE.search(before):
            continue
        unit, what = m.group(2), None
        for pattern, want, count_item, count_what in _COUNT_SUBJECTS:
            if unit == want and pattern.search(before):
                item, what = count_item, count_what
                break
        else:
            if unit == "人次" and item and re.fullmatch(r"[,，]?(?:累计|共|共计)?", before):
                what = "persons"
            else:
                item = None
        if what:
            ex.add("sangong_counts", clause.line_at(m.start(1)), item=item, what=what,
                   measure=measure, count=float(m.group(1)))


_STAFF = re.compile(r"(在职(?:实有)?(?:人员|人数)|实有(?:人员|人数)?)(?:为|共)?\s*(\d+)\s*人(?!次)")


def _set_staff(prose: list[Passage], ex: Extraction) -> None:
    """Staff in post: 在职人员 beats 实有人数 (which may count retirees)."""
    if ex.staff_count is not None:
        return
    found = [(0 if m.group(1).startswith("在职") else 1, int(m.group(2)))
             for p in prose for m in _STAFF.finditer(p.text)]
    if found:
        ex.staff_count = min(found, key=lambda f: f[0])[1]


# --- stated rates -------------------------------------------------------------------------


@dataclass(frozen=True)
class StatedRate:
    """A percentage the prose states, with the figures it relates (same sentence only).

    kind: completion ≈ numerator / denominator (actual / budget); difference ≈ numerator /
    denominator − 1 (actual or adjusted vs budget); share ≈ numerator / denominator (part /
    whole); growth ≈ numerator / (denominator − numerator) (change / this year's level);
    other: no known relation (numerator, denominator None).
    """

    kind: str
    label: str
    stated: float  # fraction, signed for a decrease
    numerator: float | None
    denominator: float | None
    source_ref: str
    sentence: str


_RATE_KINDS = [
    (re.compile(r"差异率|调整率"), "difference"),
    (re.compile(r"完成|执行率|控制率"), "completion"),
    (re.compile(r"占"), "share"),
    (re.compile(r"增长|下降|降低|增加|减少|上升"), "growth"),
]


def stated_rates(source: Source, meta: DocumentMeta | None = None) -> list[StatedRate]:
    """Every percentage stated in prose, for the checks engine; never written as a level."""
    if meta is None:
        meta = detect(source)
    rates: list[StatedRate] = []
    levels: dict[str, float] = {}  # first level printed per label, for "占本年支出合计的 X%"
    for paragraph in paragraphs(source):
        for sentence in sentences(paragraph):
            figures = read_figures(sentence, meta)
            for fig in figures:
                if fig.label and not fig.change and fig.measure:
                    levels.setdefault(fig.label.item, fig.amount)
            cursor = 0
            for m in _PERCENT.finditer(sentence.text):
                label = re.split(r"[,，;；。]", sentence.text[cursor : m.start()])[-1].strip()
                cursor = m.end()
                stated = parse_number(m.group(1))
                if stated is None:
                    continue
                kind = next((k for p, k in _RATE_KINDS if p.search(label)), "other")
                if kind == "growth" and re.search(r"下降|降低|减少", label):
                    stated = -abs(stated)
                before = [f for f in figures if f.end <= m.start()]
                num, den = _rate_figures(kind, label, before, levels, sentence.text)
                rates.append(StatedRate(kind, label, round(stated / 100, 10), num, den,
                                        sentence.line_at(m.start(1)).ref, sentence.text))
    return rates


def _rate_figures(kind: str, label: str, before: list[Figure], levels: dict[str, float], text: str):
    def latest(*phases: str) -> Figure | None:
        return next((f for f in reversed(before) if not f.change and f.phase in phases), None)

    if not before:
        return None, None
    if kind in ("completion", "difference"):
        if "调整率" in label:
            pair = latest("budget_adjusted"), latest("budget_initial")
        else:
            budget = ("budget_initial",) if "年初" in label else ("budget_initial", "budget_adjusted",
                                                                 "bare_budget")
            pair = latest("actual", "spend"), latest(*budget)
        return (pair[0].amount, pair[1].amount) if all(pair) else (None, None)
    last = before[-1]
    if kind == "growth" and last.change:
        level = next((f for f in reversed(before) if not f.change and f.label), None)
        sign = -1 if re.search(r"减少|下降|降低", label) else 1
        return sign * abs(last.amount), (level.amount if level else None)
    if kind == "share" and not last.change:
        whole = re.sub(r"^.*?占|的$", "", label).strip()
        if whole in levels:
            return last.amount, levels[whole]
        parent = before[0]
        if parent is not last and not parent.change and parent.label and "其中" in text[parent.end : last.start]:
            return last.amount, parent.amount
    return None, None
