"""The national formats as data: :file:`national_formats.toml`, loaded once.

A family (``budget``, ``final_accounts``) has *kinds* (what a table is: 收支总表, 三公 …,
matched on its clean title) and *formats* (the set of standard tables one disclosure format
publishes, each with its canonical name). :func:`table_kind` names a title's kind;
:func:`choose_format` picks the format whose kinds a document's titles match best.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from loaders.readers.normalize import no_blanks

SPEC_FILE = Path(__file__).with_name("national_formats.toml")
FAMILIES = ("budget", "final_accounts")


@dataclass(frozen=True)
class KindRule:
    kind: str
    all: tuple[re.Pattern, ...]
    any: tuple[re.Pattern, ...]
    none: tuple[re.Pattern, ...]

    def matches(self, title: str) -> bool:
        return (all(p.search(title) for p in self.all)
                and (not self.any or any(p.search(title) for p in self.any))
                and not any(p.search(title) for p in self.none))


@dataclass(frozen=True)
class StandardTable:
    kind: str
    name: str  # canonical name in this format


@dataclass(frozen=True)
class Format:
    family: str
    name: str
    label: str
    tables: tuple[StandardTable, ...]
    wording: tuple[re.Pattern, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(t.kind for t in self.tables)

    def name_of(self, kind: str) -> str | None:
        return next((t.name for t in self.tables if t.kind == kind), None)


@cache
def spec() -> dict:
    """The raw spec (parsed TOML)."""
    with SPEC_FILE.open("rb") as f:
        return tomllib.load(f)


def _patterns(raw: list[str] | None) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in raw or ())


@cache
def kind_rules(family: str) -> tuple[KindRule, ...]:
    return tuple(KindRule(r["kind"], _patterns(r.get("all")), _patterns(r.get("any")), _patterns(r.get("none")))
                 for r in spec()[family]["kinds"])


@cache
def formats(family: str) -> tuple[Format, ...]:
    return tuple(Format(family, f["name"], f["label"], tuple(StandardTable(t["kind"], t["name"]) for t in f["tables"]),
                        _patterns(f.get("wording"))) for f in spec()[family]["formats"])


_QUALIFIER = re.compile(r"[（(][^（()）]{1,8}[）)]$")


@lru_cache(maxsize=1 << 14)  # every line of a document is asked, by three passes of the table reader
def table_kind(clean_title: str, family: str) -> str | None:
    """The kind of table a clean title names in ``family``; ``None`` when it is no standard table."""
    t = _QUALIFIER.sub("", no_blanks(clean_title))
    if not t.endswith("表") or "绩效" in t:
        return None
    return next((r.kind for r in kind_rules(family) if r.matches(t)), None)


def choose_format(family: str, kinds: set[str], titles: list[str] = ()) -> Format:
    """The format that lists the most of ``kinds``; on a tie, the one whose wording the clean
    ``titles`` use most, then the one the document covers best (fewest of its tables lacking,
    where it covers at least half of it); else the first."""
    def score(f: Format) -> tuple[int, int, int]:
        matched = len(kinds & set(f.kinds))
        worded = sum(1 for t in titles if any(p.search(t) for p in f.wording))
        lacking = -len(set(f.kinds) - kinds) if matched * 2 >= len(f.kinds) else -1000
        return matched, worded, lacking

    return max(formats(family), key=score)


@cache
def empty_patterns() -> tuple[re.Pattern, ...]:
    return _patterns(spec()["empty"]["patterns"])


@lru_cache(maxsize=1 << 14)  # asked of every line under a table title
def declares_empty(text: str) -> bool:
    """``本表无数据`` / ``空表列示`` / ``本部门无该项目`` / ``我单位无…安排``."""
    t = no_blanks(text)
    return any(p.search(t) for p in empty_patterns())
