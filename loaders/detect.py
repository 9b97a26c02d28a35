"""Detect a document's family, entity, year and scope from its own content."""

from __future__ import annotations

import re

from loaders.entities import _ORG, Entity, match_registry, unknown_entity
from loaders.errors import NotADisclosure
from loaders.extraction import DocumentMeta
from loaders.source import Source

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


def detect_entity(source: Source, head: str) -> Entity:
    compact = re.sub(r"\s+", "", head)
    entity = match_registry(compact) or match_registry(re.sub(r"\s+", "", source.text[:20000]))
    if entity:
        return entity
    for pattern in (r"(?:部门|单位)(?:名称)?[:：]\s*([^\s:：]{4,40})", r"20\d{2}年度?(.{4,40}?)(?:部门|单位)(?:预算|决算)"):
        m = re.search(pattern, compact)
        if m and (org := _ORG.search(m.group(1))):
            return unknown_entity(org.group(1))
    m = _ORG.search(compact)
    if m:
        return unknown_entity(m.group(1))
    raise NotADisclosure("no department or unit name found in the document")


def detect(source: Source) -> DocumentMeta:
    head = head_text(source)
    kind, pos = detect_family(head)
    year = detect_year(head, kind, pos)
    entity = detect_entity(source, head)
    scope = "unit" if re.search(r"单位(?:预算|决算)", head[: pos + 40]) else "department"
    title = next((ln for ln in head.splitlines() if FAMILY_PATTERNS[[k for k, _ in FAMILY_PATTERNS].index(kind)][1].search(ln)), "")
    return DocumentMeta(kind, scope, entity, year, title[:120])
