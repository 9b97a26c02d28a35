"""The content of a brief, before any layout (pure): sections of messages, each message a title
that states it, sentences, at most one table and one chart, and the references it rests on.

A table cell keeps its number as a number (``value``) with its kind (万元, %, 元, count, score);
a figure the document does not print has no value and a ``state``: 未披露 (not disclosed) or
不适用 (not applicable, e.g. the actual of a budget document). It is never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dashboard.fmt import fmt_count, fmt_pct, fmt_wan, is_missing

NOT_DISCLOSED = "not_disclosed"
NOT_APPLICABLE = "not_applicable"
STATE_TEXT = {NOT_DISCLOSED: ("未披露", "not disclosed"), NOT_APPLICABLE: ("不适用", "n/a")}
NUMERIC = ("money", "pct", "yuan", "count", "score")


@dataclass(frozen=True)
class Ref:
    """Where a figure was read: the document (its label and file name) and the line or page."""

    doc_id: str
    source_ref: str | None
    doc: str
    file: str

    def text(self) -> str:
        return f"{self.doc} {self.source_ref}" if self.source_ref else self.doc


@dataclass
class Cell:
    value: Any = None
    kind: str = "text"  # money (万元) | pct (fraction) | yuan (元) | count | score | text
    state: str | None = None  # NOT_DISCLOSED | NOT_APPLICABLE where value is missing
    ref: Ref | None = None
    mark: str = ""  # e.g. 推算 (derived from a stated change) or 文中所述 (as stated)

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def missing(self) -> bool:
        return self.value is None or (self.numeric and is_missing(self.value))

    def text(self, lang: str = "zh") -> str:
        if self.missing:
            if self.kind == "text" and self.state is None:
                return ""
            pair = STATE_TEXT[self.state or NOT_DISCLOSED]
            return pair[0] if lang == "zh" else pair[1]
        v = self.value
        if self.kind == "money":
            s = fmt_wan(v, lang, unit=False)
        elif self.kind == "pct":
            s = fmt_pct(v, lang)
        elif self.kind == "yuan":
            s = f"{float(v):,.2f}"
        elif self.kind in ("count", "score"):
            s = fmt_count(v, lang)
        else:
            s = str(v)
        if self.mark:
            s = f"{s}（{self.mark}）" if lang == "zh" else f"{s} ({self.mark})"
        return s


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""  # e.g. "showing 15 of 20"

    def kinds(self) -> list[str]:
        """The kind of each column (its first non-text cell's), for alignment."""
        out = []
        for i in range(len(self.columns)):
            kinds = [r[i].kind for r in self.rows if r[i].kind != "text"]
            out.append(kinds[0] if kinds else "text")
        return out


@dataclass
class Chart:
    """A plotly figure the dashboard draws; the renderers turn it into an image (plotly.js: SVG in
    the PDF's page, PNG by kaleido for the PPTX)."""

    figure: Any
    name: str
    width: int = 1000
    height: int = 520


@dataclass
class Message:
    title: str
    sentences: list[str] = field(default_factory=list)
    table: Table | None = None
    chart: Chart | None = None
    refs: list[Ref] = field(default_factory=list)

    def all_refs(self) -> list[Ref]:
        """The message's references and those of its cells, each once, in order."""
        seen: dict[tuple, Ref] = {}
        cells = [c.ref for row in (self.table.rows if self.table else []) for c in row if c.ref]
        for r in [*self.refs, *cells]:
            seen.setdefault((r.doc_id, r.source_ref), r)
        return list(seen.values())


@dataclass
class Section:
    key: str
    heading: str
    messages: list[Message]


@dataclass(frozen=True)
class DocInfo:
    doc_id: str
    label: str  # 汉阳区 · 决算 2023
    file: str  # file name, without folders
    kind: str  # document kind, named
    year: int
    entity: str  # department name as the document prints it
    sha256: str


@dataclass
class Brief:
    kind: str  # department | comparison
    lang: str
    title: str
    subtitle: str
    entity_ids: list[str]
    sections: list[Section]
    documents: list[DocInfo]

    def messages(self) -> list[Message]:
        return [m for s in self.sections for m in s.messages]

    def refs(self) -> list[Ref]:
        """Every reference used, each once, in document then line order."""
        seen: dict[tuple, Ref] = {}
        for m in self.messages():
            for r in m.all_refs():
                seen.setdefault((r.doc_id, r.source_ref), r)
        return sorted(seen.values(), key=lambda r: (r.doc, _ref_key(r.source_ref)))


def _ref_key(ref: str | None) -> tuple:
    from dashboard.sources import parse_ref

    page, line = parse_ref(ref)
    return (page or 0, line or 0, ref or "")


def money(value, ref: Ref | None = None, state: str | None = None, mark: str = "") -> Cell:
    return Cell(value=None if is_missing(value) else float(value), kind="money",
                state=state or NOT_DISCLOSED, ref=ref, mark=mark)


def pct(value, ref: Ref | None = None, state: str | None = None) -> Cell:
    return Cell(value=None if is_missing(value) else float(value), kind="pct", state=state or NOT_DISCLOSED, ref=ref)


def number(value, kind: str = "count", ref: Ref | None = None, state: str | None = None) -> Cell:
    return Cell(value=None if is_missing(value) else float(value), kind=kind, state=state or NOT_DISCLOSED, ref=ref)


def text(value, ref: Ref | None = None) -> Cell:
    return Cell(value=None if value is None or (isinstance(value, float) and is_missing(value)) else str(value),
                kind="text", ref=ref)


def ref_cell(ref: Ref | None) -> Cell:
    """The 出处 column: the line or page (the document is named in the row or the caption)."""
    return Cell(value=ref.source_ref if ref and ref.source_ref else None, kind="text", ref=ref)
