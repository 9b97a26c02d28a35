"""Facts stated in prose, for every family: headline totals, 三公, counts, staff, rates,
and the changes the prose states against another year or the budget.

Sentences come joined across hard wraps (:mod:`loaders.families.sentences`), so a figure's
``source_ref`` is the line it was printed on even when its label is lines above. How one
figure is read (label, phase, change) is :mod:`loaders.families.narrative_labels`; what a
stated change qualifies is :mod:`loaders.families.stated_changes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from loaders.extraction import DocumentMeta, Extraction
from loaders.families import stated_changes
from loaders.families.narrative_labels import (
    _CHANGE,
    _GENERIC,
    _PERCENT,
    _QUAL,
    _QUOTES,
    Figure,
    Label,
    match_label,
    read_figures,
)
from loaders.families.sentences import Passage, is_heading, paragraphs, sentences
from loaders.numbers import parse_number
from loaders.readers.source import Source

__all__ = ["Figure", "Label", "StatedRate", "extract", "match_label", "read_figures", "stated_rates"]

# --- extraction ---------------------------------------------------------------------------


_OF_WHICH = re.compile(r"\s*其中")
_COMPARED = re.compile(r"\s*与\S{0,8}?相比")


def extract(source: Source, meta: DocumentMeta, ex: Extraction) -> None:
    seen: set[tuple] = set()
    # The section's latest first total, for "与年初预算相比，…": that sentence may stand in a
    # paragraph of its own, after one of changes only (乌鲁木齐 四、). A heading ends it.
    subject: Label | None = None
    changes = stated_changes.ChangeReader(meta)
    prose = paragraphs(source)
    for paragraph in prose:
        if is_heading(paragraph.text):
            subject = None
            changes.section()
            continue
        changes.paragraph()
        first: Label | None = None  # this paragraph's first total
        inherited: str | None = None  # phase of the last figure, for a sentence "其中：…"
        for sentence in sentences(paragraph):
            measure = inherited if _OF_WHICH.match(sentence.text) else None
            carry = subject if _COMPARED.match(sentence.text) else None
            parent: Label | None = None
            placed: list[tuple] = []  # (start, end, figure, label of a level) in the sentence
            offset = 0
            for clause in sentence.split(";；"):
                offset = sentence.text.find(clause.text, offset)
                for fig in read_figures(clause, meta, measure, carry):
                    level = None
                    if not (fig.change or fig.label is None or fig.measure is None):
                        parent = parent or fig.label
                        if first is None:
                            first = subject = fig.label
                        level = _qualified(fig.label, parent)
                        _add_figure(ex, fig, level, seen)
                        measure = fig.measure
                    placed.append((offset + fig.start, offset + fig.end, fig, level))
                _add_counts(ex, clause, meta)
                offset += len(clause.text)
            changes.sentence(sentence, placed)
            inherited = measure
    _set_staff(prose, ex)
    changes.add_rows(ex)


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
    if "辆" not in clause.text and "个" not in clause.text and "次" not in clause.text:
        return  # no count unit (辆, 个, 人次, 批次): nothing to read
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
        from loaders.identity.detect import detect  # at call time: identity is a later stage

        meta = detect(source)
    rates: list[StatedRate] = []
    prose = [sentence for paragraph in paragraphs(source) for sentence in sentences(paragraph)]
    # The first level printed per label up to a sentence, for "占本年支出合计的 X%": its figures
    # read only when a share needs them (most sentences state no rate, and reading a
    # sentence's figures is the reader's dearest step).
    levels = _Levels(prose, meta)
    for at, sentence in enumerate(prose):
        if "%" not in sentence.text:
            continue
        figures = levels.figures(at)
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
            num, den = _rate_figures(kind, label, before, levels.through(at) if kind == "share" else {},
                                     sentence.text)
            rates.append(StatedRate(kind, label, round(stated / 100, 10), num, den,
                                    sentence.line_at(m.start(1)).ref, sentence.text))
    return rates


class _Levels:
    """The figures of a document's sentences, each read once when asked, and the first level
    printed per label up to a sentence."""

    def __init__(self, prose: list, meta: DocumentMeta):
        self.prose, self.meta = prose, meta
        self.read: dict[int, list[Figure]] = {}
        self.levels: dict[str, float] = {}
        self.through_at = 0  # sentences whose levels are in ``levels``

    def figures(self, at: int) -> list[Figure]:
        if at not in self.read:
            self.read[at] = read_figures(self.prose[at], self.meta)
        return self.read[at]

    def through(self, at: int) -> dict[str, float]:
        """First level per label in the sentences up to and including ``at``."""
        while self.through_at <= at:
            for fig in self.figures(self.through_at):
                if fig.label and not fig.change and fig.measure:
                    self.levels.setdefault(fig.label.item, fig.amount)
            self.through_at += 1
        return self.levels


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
