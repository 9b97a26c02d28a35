"""Changes the prose states instead of printing both figures ("比上年减少 1.50 万元，下降 10.00%").

Each statement qualifies one current figure: the level printed just before it in its
sentence ("…支出 12.00 万元，比上年减少 1.50 万元"), else the first level of the previous
sentence of its paragraph ("…预算数为 1,000.00 万元。与上年相比减少 20.00 万元"), else, for
a sentence that opens with its comparison ("收入支出总体与上年相比，…"), the section's first
total. A statement that names its own subject ("收入合计增加 …", "其中：基本支出减少 …")
qualifies the latest level of that name. A figure between the level and the statement that
is no level (an unlabeled amount) leaves the statement without a subject: no row beats a
wrong one. What follows 主要原因 … is a reason, never a statement.

What it is compared against is in the words (比上年决算 → prior_year_actual, 较上年预算数 /
本年数与上年预算数 → prior_year_budget, 比年初预算 → budget_initial); a bare 上年 is the
prior year's budget in a budget and its actual elsewhere. "持平 / 一致 / 零增长" is a change
of 0 the document states in words. A prior-year figure is derived (current − change) only
where both are printed, and never where the prior-year figure itself is printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.extraction import DocumentMeta, Extraction
from loaders.families.narrative_labels import _PERCENT, Figure, Label, match_label
from loaders.families.sentences import Passage
from loaders.numbers import parse_number
from loaders.readers.source import SourceLine

_UP = r"增加|增长|上升|提高|超支|超出|多支|增幅"
_DOWN = r"减少|下降|降低|节约|节省|少支|压减|压缩|减幅|降幅"
_DIRECTION = re.compile(rf"(?P<up>{_UP})|(?P<down>{_DOWN})")
# What is compared against: 比上年决算 / 较 2021 年预算 / 与上年相比 / 同比 / 比年初预算 …
_PRIOR = r"上年度?|上一年度?|去年"
_PHASE_WORD = r"年初预算|调整(?:后)?预算|全年预算|预算|决算|执行"
_COMPARED = re.compile(
    rf"(?:与|比|较|同)\s*(?:(?P<year>\d{{4}})\s*年度?|(?P<prior>{_PRIOR}))?\s*(?:同期)?\s*"
    rf"(?P<phase>{_PHASE_WORD})?数?|(?P<yoy>同比)"
)
# A change of 0 stated in words; "基本持平" (roughly) and "口径一致" are not one.
_ZERO = re.compile(
    rf"(?:与|和|同|比|较)\s*(?:(?P<year>\d{{4}})\s*年度?|(?P<prior>{_PRIOR}))\s*(?:同期)?"
    rf"(?P<phase>{_PHASE_WORD})?(?:数|水平)?(?:相比|相较|比较)?\s*[,，]?\s*(?:保持)?"
    r"(?:持平|一致|相同|相等|无变化|没有变化|未发生变化|不变)|(?P<yoy>同比)持平|零增长"
)
# Where a reason starts; it runs to the next ；or the sentence end.
_REASON = re.compile(r"主要原因|原因是|原因为|主要为|主要是|主要用于|主要包括|具体包括")
_CLAUSE_END = re.compile(r"[,，;；:：。]")
_CLAUSE_BREAK = re.compile(r"[;；]")
_NOT_A_CHANGE = re.compile(r"占|完成|执行率|差异率|比重|比例")  # a share or a rate, not a change


# Every match of _REASON / _ZERO holds one of these words: most sentences have none, and a
# substring test is much quicker than the regex scan it saves.
def _may_give_reason(text: str) -> bool:
    return "原因" in text or "主要" in text or "具体包括" in text


def _may_state_zero(text: str) -> bool:
    return ("持平" in text or "一致" in text or "相同" in text or "相等" in text or "变化" in text
            or "不变" in text or "零增长" in text)
_OWN_NOISE = re.compile(rf"(?:与|比|较|同)\s*(?:\d{{4}}\s*年度?|{_PRIOR}|同期|{_PHASE_WORD})+数?|同比|相比|相较"
                        r"|各|均|分别|也|共|本年数?|今年|[\s()]")
_NORM = re.compile(r"[、\s]|(?<=收)入|(?<=支)出|预算|总计|合计|本年|总额|支出$")


@dataclass(frozen=True)
class Level:
    """A current figure a statement can qualify (a row the prose gave)."""

    dataset: str  # sangong | budget_lines
    item: str  # 三公 item, or the label as printed
    breakdown: str | None
    code: str | None
    level: int | None
    measure: str
    amount: float
    label: str  # the printed label, for "收入合计增加 …"


@dataclass
class _Placed:
    start: int
    end: int
    level: Level | None  # None: an amount that is no level (no subject for what follows)


@dataclass
class Statement:
    subject: Level | None
    item: str  # the subject's, or the name the statement gives itself
    dataset: str
    breakdown: str | None
    code: str | None
    level: int | None
    measure: str
    against: str
    change_amount: float | None
    change_pct: float | None
    line: SourceLine
    text: str


def level_of(label: Label, fig: Figure) -> Level:
    if label.sangong:
        return Level("sangong", label.sangong, None, None, None, fig.measure, fig.amount, label.item)
    return Level("budget_lines", label.item, label.breakdown, label.code, label.level, fig.measure,
                 fig.amount, label.item)


def _norm(text: str) -> str:
    return _NORM.sub("", text)


def _names(level: Level, own: Label) -> bool:
    if own.sangong or level.dataset == "sangong":
        return own.sangong == (level.item if level.dataset == "sangong" else None)
    a, b = _norm(level.label), _norm(own.item)
    return bool(a and b) and (a == b or a.endswith(b) or b.endswith(a))


def _key(label: str, what: Level | Label) -> str:
    if isinstance(what, Label):
        return f"sangong:{what.sangong}" if what.sangong else _norm(label)
    return f"sangong:{what.item}" if what.dataset == "sangong" else _norm(label)


def _sign(words: str) -> int | None:
    """+1 / −1 from the last direction word; None when both stand together ("增加（减少）")."""
    found = list(_DIRECTION.finditer(words))
    if not found:
        return None
    last = found[-1]
    near = words[max(0, last.start() - 8) : last.end() + 8]
    if re.search(_UP, near) and re.search(_DOWN, near):
        return None  # a template's "增加（减少）": the direction was never filled in
    return 1 if last["up"] else -1


def _against(m: re.Match, meta: DocumentMeta) -> str | None:
    prior = bool(m["prior"] or m["yoy"])
    year = int(m["year"]) if m["year"] else None
    phase = m["phase"]
    if year is not None:
        if year >= meta.year:
            prior = False
            if phase is None:
                return None  # "与 2023 年相比" in a 2023 document: not a comparison we know
        else:
            prior = True
    if prior:
        if phase in ("决算", "执行"):
            return "prior_year_actual"
        if phase:
            return "prior_year_budget"
        return "prior_year_budget" if meta.doc_kind == "budget" else "prior_year_actual"
    if phase in ("年初预算", "预算"):
        return "budget_initial"
    if phase in ("调整预算", "调整后预算", "全年预算"):
        return "budget_adjusted"
    return None


@dataclass
class ChangeReader:
    """Reads the stated changes of a document, sentence by sentence (see the module doc)."""

    meta: DocumentMeta
    statements: list[Statement] = field(default_factory=list)
    _section_first: Level | None = None
    _previous: list[_Placed] | None = None  # the paragraph's last sentence with figures
    _named: dict[str, Level] = field(default_factory=dict)  # latest level per label

    def section(self) -> None:
        self._section_first = None
        self._previous = None

    def paragraph(self) -> None:
        self._previous = None

    def sentence(self, sentence: Passage, figures: list[tuple[int, int, Figure, Label | None]]) -> None:
        """``figures``: every amount of the sentence (start, end, figure, its label if a level)."""
        text = sentence.text
        zones = []
        for m in _REASON.finditer(text) if _may_give_reason(text) else ():
            end = _CLAUSE_BREAK.search(text, m.end())
            zones.append((m.start(), end.start() if end else len(text)))

        def in_reason(i: int) -> bool:
            return any(s <= i < e for s, e in zones)

        placed: list[_Placed] = []
        events: list[tuple[int, str, object]] = []
        for start, end, fig, label in figures:
            if in_reason(start):
                continue
            if fig.change:
                events.append((start, "change", fig))
            else:
                level = level_of(label, fig) if label is not None and fig.measure else None
                placed.append(_Placed(start, end, level))
                events.append((start, "level", placed[-1]))
        for m in _PERCENT.finditer(text) if "%" in text else ():
            words = _CLAUSE_END.split(text[: m.start()])[-1]
            if in_reason(m.start()) or _NOT_A_CHANGE.search(words):
                continue
            if _DIRECTION.search(words):
                events.append((m.start(), "pct", m))
        for m in _ZERO.finditer(text) if _may_state_zero(text) else ():
            if not in_reason(m.start()):
                events.append((m.start(), "zero", m))
        events.sort(key=lambda e: e[0])

        open_: Statement | None = None
        for pos, kind, obj in events:
            if kind == "level":
                open_ = None
                if self._section_first is None and obj.level is not None:
                    self._section_first = obj.level
                if obj.level is not None:
                    self._named[_key(obj.level.label, obj.level)] = obj.level
                continue
            if kind == "pct":
                value = parse_number(obj.group(1))
                sign = _sign(_CLAUSE_END.split(text[: obj.start()])[-1])
                if value is None or (sign is None and value != 0):
                    continue
                pct = round((sign or 1) * value / 100, 10)
                if open_ is not None and open_.change_pct is None:
                    open_.change_pct = pct
                    open_ = None
                    continue
                open_ = self._statement(sentence, pos, placed, None, pct, None)
                continue
            if kind == "zero":
                open_ = None
                self._statement(sentence, pos, placed, 0.0, 0.0, obj)
                continue
            fig: Figure = obj
            words = _CLAUSE_END.split(text[:pos])[-1]
            sign = _sign(words)
            if sign is None and fig.amount != 0:
                open_ = None
                continue
            open_ = self._statement(sentence, pos, placed, (sign or 1) * fig.amount, None, None)
        if placed:
            self._previous = placed

    def _statement(self, sentence: Passage, pos: int, placed: list[_Placed], change: float | None,
                   pct: float | None, zero: re.Match | None) -> Statement | None:
        text = sentence.text
        # A change is of a current figure: a prior-year level printed beside it is skipped.
        before = [p for p in placed if p.end <= pos and not (p.level and p.level.measure.startswith("prior_year"))]
        own = self._own_label(text[:pos])
        subject, window_start = self._subject(text, pos, before, own)
        if subject is None and own is None:
            return None
        against = _against(zero, self.meta) if zero is not None and not zero.group().startswith("零") else None
        if against is None:
            found = [m for m in _COMPARED.finditer(text, window_start, pos + (len(zero.group()) if zero else 0))
                     if m["year"] or m["prior"] or m["phase"] or m["yoy"]]
            against = _against(found[-1], self.meta) if found else None
        measure = subject.measure if subject else ("budget_initial" if self.meta.doc_kind == "budget" else "actual")
        if against is None or against == measure:
            return None
        if subject is not None:
            name = (subject.dataset, subject.item, subject.breakdown, subject.code, subject.level)
        elif own.sangong:
            name = ("sangong", own.sangong, None, None, None)
        else:
            name = ("budget_lines", own.item, own.breakdown, own.code, own.level)
        if subject is not None and subject.amount == 0 and change == 0:
            pct = None  # nothing to grow from: 0 → 0 has no rate
        st = Statement(subject, name[1], name[0], name[2], name[3], name[4], measure, against, change, pct,
                       sentence.line_at(pos), text.strip())
        self.statements.append(st)
        return st

    def _own_label(self, head: str) -> Label | None:
        """The subject a statement names itself: "…，收入合计增加" → 收入合计."""
        words = _CLAUSE_END.split(head)[-1]
        m = list(_DIRECTION.finditer(words))
        words = words[: m[-1].start()] if m else words
        zero = _ZERO.search(words)
        words = words[: zero.start()] if zero else words
        words = _OWN_NOISE.sub("", words)
        found = match_label(words) if words else None
        return found[0] if found else None

    def _subject(self, text: str, pos: int, before: list[_Placed], own: Label | None):
        if own is not None:
            for p in reversed(before):
                if p.level is not None and _names(p.level, own):
                    return p.level, p.end
            for p in reversed(self._previous or []):
                if p.level is not None and _names(p.level, own):
                    return p.level, 0
            if level := self._named.get(_key(own.item, own)):
                return level, 0
            return None, 0
        if before:
            return before[-1].level, before[-1].end
        if self._previous:
            return self._previous[0].level, 0
        # "收入支出总体与上年相比，…": the section's totals, named without their figure
        opening = re.match(rf"\s*[^\d,，。;；]{{0,24}}?(?:收入支出|收支)[^\d,，。;；]{{0,4}}?(?:{_COMPARED.pattern})", text)
        if opening and opening.end() <= pos and self._section_first is not None:
            return self._section_first, 0
        return None, 0

    # --- rows ---------------------------------------------------------------------------

    def add_rows(self, ex: Extraction) -> None:
        """One stated_changes row per statement; then the prior-year figures they give.

        A statement printed again (持平，零增长; a report and its summary) is one row; two
        that disagree are both kept, and only the first gives a derived figure.
        """
        first: dict[tuple, dict] = {}
        for st in self.statements:
            current = st.subject.amount if st.subject else None
            key = (st.dataset, st.item, st.breakdown, st.code, st.level, st.measure, st.against, current)
            row = first.get(key)
            if row is not None and _agrees(row, st):
                row["change_amount"] = _first(row["change_amount"], st.change_amount)
                row["change_pct"] = _first(row["change_pct"], st.change_pct)
                continue
            # Appended directly: the column ``dataset`` would clash with Extraction.add's own
            # first parameter (stated_changes has no unique key, so add would only append).
            new = {"dataset": st.dataset, "item": st.item, "breakdown": st.breakdown, "code": st.code,
                   "level": st.level, "measure": st.measure, "against": st.against, "current_amount": current,
                   "change_amount": st.change_amount, "change_pct": st.change_pct, "text": st.text,
                   "source_ref": st.line.ref}
            ex.rows["stated_changes"].append(new)
            first.setdefault(key, new)
        for row in first.values():
            _add_derived(ex, row)


def _first(a: float | None, b: float | None) -> float | None:
    return a if a is not None else b


def _agrees(row: dict, st: Statement) -> bool:
    return all(a is None or b is None or abs(a - b) < 1e-9
               for a, b in ((row["change_amount"], st.change_amount), (row["change_pct"], st.change_pct)))


def _add_derived(ex: Extraction, row: dict) -> None:
    """current − change, as a row of the current figure's dataset marked ``derived``."""
    if row["current_amount"] is None or row["change_amount"] is None:
        return
    if row["against"] not in ("prior_year_actual", "prior_year_budget"):
        return
    amount = round(row["current_amount"] - row["change_amount"], 6)
    if row["dataset"] == "sangong":
        if any(r["item"] == row["item"] and r["measure"] == row["against"] for r in ex.rows.get("sangong", ())):
            return
        ex.add("sangong", row["source_ref"], item=row["item"], measure=row["against"], amount=amount,
               origin="derived")
        return
    same = ("item", "code", "level", "breakdown")
    if any(r.get("measure") == row["against"] and all(r.get(c) == row[c] for c in same)
           for r in ex.rows.get("budget_lines", ())):  # the measure first: it rules out most rows
        return
    ex.add("budget_lines", row["source_ref"], table="narrative", code=row["code"], item=row["item"],
           level=row["level"], breakdown=row["breakdown"], measure=row["against"], amount=amount,
           origin="derived")
