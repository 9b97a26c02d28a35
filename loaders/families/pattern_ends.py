"""Which characters can end a match of an end-anchored pattern: a quick test before a search.

The prose reader asks, for each short context before a figure, which of some thirty patterns
anchored at the end (``…$``: labels, phase words) ends it. ``pattern.search`` tries every
start position of the text for each of them (13,000 searches over the five seeds, 6 % of
their parse); most texts end in a character no pattern can end with. :func:`last_chars`
reads the set of those characters from the pattern's own parse: a search is skipped only
where it could find no match (the test is safe, not exact: it still searches some texts
that no match ends, a text ending in a newline among them).
"""

from __future__ import annotations

import re
from re import _parser  # the parser re.compile itself uses (the project runs on 3.11)

_END = ("AT_END", "AT_END_STRING")


def last_chars(pattern: re.Pattern) -> frozenset[str] | None:
    """The characters a match of ``pattern`` (anchored at the end: ``…$``) can end with, or
    None where that is not known (not anchored at the end, a class, a wildcard, a flag, a
    pattern that can match the empty string): search then."""
    if pattern.flags & (re.IGNORECASE | re.MULTILINE | re.VERBOSE):
        return None
    try:
        items = _parser.parse(pattern.pattern, pattern.flags).data
        if not items or str(items[-1][0]) != "AT" or str(items[-1][1]) not in _END:
            return None  # elsewhere than at the end, a match ends in any character
        chars, empty = _ends(items)
    except Exception:  # an unexpected node: no test, never a wrong one
        return None
    return None if chars is None or empty else frozenset(chars)


def ends_with_one(text: str, chars: frozenset[str] | None) -> bool:
    """Whether a match ending ``text`` may exist. ``$`` also matches before a final newline:
    such a text is always searched."""
    return chars is None or text[-1:] in chars or text.endswith("\n")


def _ends(items) -> tuple[set[str] | None, bool]:
    """(the characters a match of this sequence can end with, or None for any; whether it
    can match the empty string)."""
    chars: set[str] = set()
    for op, av in reversed(items):
        found, empty = _node(str(op), av)
        if found is None:
            return None, False
        chars |= found
        if not empty:
            return chars, False
    return chars, True


def _node(op: str, av) -> tuple[set[str] | None, bool]:
    if op == "LITERAL":
        return {chr(av)}, False
    if op in ("AT", "ASSERT", "ASSERT_NOT"):  # zero-width: the match ends where it stood
        return set(), True
    if op == "IN" and all(str(o) == "LITERAL" for o, _ in av):
        return {chr(a) for _, a in av}, False
    if op == "BRANCH":
        chars, empty = set(), False
        for branch in av[1]:
            found, can_be_empty = _ends(branch)
            if found is None:
                return None, False
            chars |= found
            empty = empty or can_be_empty
        return chars, empty
    if op == "SUBPATTERN":  # (group, flags it adds, flags it removes, its items)
        return (None, False) if av[1] or av[2] else _ends(av[-1])
    if op in ("MAX_REPEAT", "MIN_REPEAT"):
        low, _high, sub = av
        found, empty = _ends(sub)
        return (None, False) if found is None else (found, empty or low == 0)
    return None, False
