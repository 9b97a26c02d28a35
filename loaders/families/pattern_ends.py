"""Which characters can end a match of an end-anchored pattern: a quick test before a search.

The prose reader asks, for each short context before a figure, which of some thirty patterns
anchored at the end (``…$``: labels, phase words) ends it. ``pattern.search`` tries every
start position of the text for each of them (13,000 searches over the five seeds, 6 % of
their parse); most texts end in a character no pattern can end with. :func:`last_chars`
reads the set of those characters from the pattern's own parse, so the test is exact: a
search is skipped only where it could find no match.
"""

from __future__ import annotations

import re

try:  # the parser re.compile uses (Python 3.11+); without it, every search is made
    from re import _parser
except ImportError:  # pragma: no cover
    _parser = None


def last_chars(pattern: re.Pattern) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can end with, or None where that is not known
    (a class, a wildcard, a flag, a pattern that can match nothing at all): search then."""
    if _parser is None or pattern.flags & (re.IGNORECASE | re.MULTILINE | re.VERBOSE):
        return None
    try:
        chars, empty = _ends(_parser.parse(pattern.pattern, pattern.flags).data)
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
    if op == "SUBPATTERN":
        return _ends(av[-1])
    if op in ("MAX_REPEAT", "MIN_REPEAT"):
        low, _high, sub = av
        found, empty = _ends(sub)
        return (None, False) if found is None else (found, empty or low == 0)
    return None, False
