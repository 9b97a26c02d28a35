"""Detect a document's family, year, scope and entity from its own content.

In this order of trust: the title page / title line, the 部门/单位/预算主管部门/预算单位/
编制单位 labels, the table headers and titles, the prose. A registry only maps the name
found to its record (:func:`loaders.identity.entities.resolve`); a registered name that is
merely mentioned somewhere never outranks the document's own title or label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from loaders.errors import NotADisclosure
from loaders.extraction import DocumentMeta
from loaders.identity import clues as c
from loaders.identity.entities import Entity, resolve
from loaders.identity.names import is_placeholder, name_key
from loaders.readers.normalize import no_blanks
from loaders.readers.source import Source

HEAD_LINES = c.HEAD_LINES

# Prose fallback for the family (earliest match in the head wins).
FAMILY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("final_accounts", re.compile(r"(?:部门|单位)?决算(?:公开|表|情况|说明|报告)?")),
    ("budget", re.compile(r"(?:部门|单位)预算(?:信息)?(?:公开|表|情况|说明)|预算信息公开|部门预算收支总表")),
    ("performance_self_eval", re.compile(r"绩效(?:自评|评价)|自评(?:报告|表)")),
)
_UNIT_LABELS = ("预算单位", "预算单位名称")


def _first(found: Iterable[c.Clue], tier: str | None = None) -> c.Clue | None:
    return next((k for k in found if tier is None or k.tier == tier), None)


def _family(title: c.Title | None, lines, head: str) -> tuple[str, str, int | None]:
    """(family, where it was read, the family word's position in the title)."""
    if title and (found := c.family_in(title.text)):
        return found[0], f"title {title.lines[0].ref}", found[1]
    if clue := _first(c.table_family_clues(lines)):
        return clue.value, clue.where, None
    hits = [(m.start(), kind) for kind, pat in FAMILY_PATTERNS if (m := pat.search(head))]
    if not hits:
        raise NotADisclosure("not a budget, final-account or performance disclosure (no 预算/决算/绩效自评 title)")
    return min(hits)[1], "text", None


def _year(title: c.Title | None, family_pos: int | None, lines, head: str, kind: str) -> tuple[int, str]:
    if title and (year := c.year_in(title.text, family_pos)):
        return year, f"title {title.lines[0].ref}"
    for clue in (_first(c.label_year_clues(lines[:HEAD_LINES])), _first(c.table_year_clues(lines))):
        if clue:
            return clue.value, clue.where
    # The year nearest before the family word in the head: "2023 年度…部门决算".
    pattern = dict(FAMILY_PATTERNS)[kind]
    m = pattern.search(head)
    if year := c.year_in(no_blanks(head), None if m is None else len(no_blanks(head[: m.start()]))):
        return year, "text"
    raise NotADisclosure("no fiscal year (20xx年) in the document's title, labels or table titles")


def _name_clues(title: c.Title | None, family_pos: int | None, lines) -> Iterator[c.Clue]:
    """Every printed name the document gives itself, most trusted first (lazily: the first
    one found is taken, so a later tier is read only where the earlier ones found nothing)."""
    head = lines[:HEAD_LINES]
    if title and family_pos is not None and (name := c.org_in_title(title.text, family_pos)):
        yield c.Clue(("标题", name), "title", title.lines[0])
    labels = list(c.label_clues(head))
    yield from (k for k in labels if k.tier == "label")
    yield from (k for k in labels if k.tier == "table")
    later = (  # labels further on (a form's cells), a name by a table title, a project's 主管部门, prose
        (c.label_clues, lines[HEAD_LINES:]), (c.header_name_clues, head),
        (c.secondary_clues, lines), (c.subject_clues, lines),
    )
    for finder, where in later:
        if clue := _first(finder(where)):
            yield clue


def _scope(title: c.Title | None, family_pos: int | None, name: c.Clue, lines) -> str:
    if title and family_pos is not None:
        before = title.text[: family_pos + 4]
        if re.search(r"单位(?:预算|决算)|单位整体支出", before):
            return "unit"
        if re.search(r"部门(?:预算|决算)|部门整体支出", before):
            return "department"
    if name.tier == "label":
        return "unit" if name.value[0] in _UNIT_LABELS else "department"
    clue = _first(c.table_scope_clues(lines))
    return clue.value if clue else "department"


def detect(source: Source) -> DocumentMeta:
    lines = c.nonempty(source)
    head = "\n".join(ln.clean.strip() for ln in lines[:HEAD_LINES])
    title = c.title_of(source)
    kind, family_where, family_pos = _family(title, lines, head)
    year, year_where = _year(title, family_pos, lines, head, kind)
    chosen = _first(_name_clues(title, family_pos, lines))
    if chosen is None:
        raise NotADisclosure("no department or unit name found in the document (title, labels, table headers)")
    printed = chosen.value[1]
    entity = resolve(printed, source.text)
    warnings = list(_warnings(chosen, entity, lines[:HEAD_LINES], source.text))
    scope = _scope(title, family_pos, chosen, lines)
    shown = title.printed if title else (chosen.line.clean.strip() if chosen.tier != "text" else "")
    return DocumentMeta(
        kind, scope, entity, year, shown[:120],
        entity_as_printed=printed, entity_found_in=chosen.where,
        year_found_in=year_where, family_found_in=family_where, warnings=tuple(warnings),
    )


def _warnings(chosen: c.Clue, entity: Entity, head, text: str) -> Iterable[str]:
    printed = chosen.value[1]
    if is_placeholder(printed):
        yield f"the entity name {printed!r} is a placeholder (a template?); loaded under that name"
    # The first label naming someone else than the title: the title is kept, the reader told.
    label = _first(c.label_clues(head), "label") if chosen.tier == "title" else None
    if label and name_key(label.value[1]) != name_key(printed):
        other = resolve(label.value[1], text)
        if other.entity_id != entity.entity_id:
            yield (f"the title names {entity.name}, the label {label.value[0]} ({label.line.ref}) "
                   f"{other.name}; kept the title")
