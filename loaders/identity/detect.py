"""Detect a document's family, entity, year and scope from its own content."""

from __future__ import annotations

import re

from loaders.errors import NotADisclosure
from loaders.extraction import DocumentMeta
from loaders.identity.entities import _ORG, Entity, match_registry, unknown_entity
from loaders.readers.source import Source

HEAD_LINES = 80  # title, table of contents and first table header live here

# Earliest match in the head decides: a 决算 report that appends 绩效自评 tables is a 决算.
FAMILY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("final_accounts", re.compile(r"(?:部门|单位)?决算(?:公开|表|情况|说明|报告)?")),
    ("budget", re.compile(r"(?:部门|单位)预算(?:信息)?(?:公开|表|情况|说明)|预算信息公开|部门预算收支总表")),
    ("performance_self_eval", re.compile(r"绩效(?:自评|评价)|自评(?:报告|表)")),
)
_YEAR = re.compile(r"(20\d{2})\s*年度?")
_BUDGET_YEAR = re.compile(r"预算年度\s*[:：]?\s*(20\d{2})")


def head_text(source: Source, n: int = HEAD_LINES) -> str:
    lines = [line.clean.strip() for line in source.lines if line.clean.strip()]
    return "\n".join(lines[:n])


def detect_family(head: str) -> tuple[str, int]:
    hits = [(m.start(), kind) for kind, pat in FAMILY_PATTERNS if (m := pat.search(head))]
    if not hits:
        raise NotADisclosure("not a budget, final-account or performance disclosure (no 预算/决算/绩效自评 title)")
    start, kind = min(hits)
    return kind, start


def detect_year(head: str, kind: str, family_pos: int) -> int:
    if kind == "budget" and (m := _BUDGET_YEAR.search(head)):
        return int(m.group(1))
    # The year nearest before (or just after) the family keyword: "2023 年度…部门决算".
    years = [(m.start(), int(m.group(1))) for m in _YEAR.finditer(head)]
    if not years:
        raise NotADisclosure("no fiscal year (20xx年) in the document's title")
    before = [y for pos, y in years if pos <= family_pos]
    return before[-1] if before else years[0][1]


_ORG_LINE = re.compile(r"^[\u4e00-\u9fffA-Za-z（）()]{2,40}?(?:局|委员会|中心|办公室|厅|院|所|馆|站|处|队|署|社)$")
_ORG_LABEL = re.compile(r"(?:预算主管部门|主管部门|部门名称|单位名称|预算单位|部门|单位)[:：]\s*([^:：\t]{4,40})")
_ORG_TITLE = re.compile(r"20\d{2}年度?(.{4,40}?)(?:部门|单位)(?:预算|决算)")


def _org_name(text: str) -> str | None:
    m = _ORG.search(text)
    return m.group(1) if m else None


def detect_entity(source: Source, head: str) -> Entity:
    """A registered entity if its name appears; else the name the document prints for itself.

    Unknown names are looked for line by line, so a title never runs into the table of
    contents: a "部门：…" label, a line that is only an organisation's name, or the title.
    """
    compact = re.sub(r"\s+", "", head)
    entity = match_registry(compact) or match_registry(re.sub(r"\s+", "", source.text[:20000]))
    if entity:
        return entity
    lines = [re.sub(r"\s+", "", ln) for ln in head.splitlines()]
    for finder in (
        lambda ln: (m := _ORG_LABEL.search(ln)) and _org_name(m.group(1)),
        lambda ln: _ORG_LINE.match(ln) and ln,
        lambda ln: (m := _ORG_TITLE.search(ln)) and _org_name(m.group(1)),
    ):
        for line in lines:
            name = finder(line)
            if name:
                return unknown_entity(name)
    raise NotADisclosure("no department or unit name found in the document")


def detect(source: Source) -> DocumentMeta:
    head = head_text(source)
    kind, pos = detect_family(head)
    year = detect_year(head, kind, pos)
    entity = detect_entity(source, head)
    scope = "unit" if re.search(r"单位(?:预算|决算)", head[: pos + 40]) else "department"
    title = next((ln for ln in head.splitlines() if FAMILY_PATTERNS[[k for k, _ in FAMILY_PATTERNS].index(kind)][1].search(ln)), "")
    return DocumentMeta(kind, scope, entity, year, title[:120])
