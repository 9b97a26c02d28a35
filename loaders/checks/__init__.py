"""The rule engine: consistency checks over the assembled datasets.

Each rule (stable code, family, severity, one-line Chinese description) lives in the module
of its family and yields checks rows: pass / fail / warn with expected, found, difference
and the source_ref of the printed figure it rests on. Only printed figures are compared.

    run_checks(frames, docs) -> list[dict]   rows of the ``checks`` dataset, keys included
    RULES                                   code -> Rule, for the dashboard's rule list

A rule of scope ``entity`` (CHG-PRIOR) compares a document with the same entity's document
of another year: run over one disclosure's datasets it sees only that disclosure's figures;
:func:`loaders.checks.entities.entity_checks` runs it over each entity's years at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loaders.checks import (  # noqa: F401  (registers)
    changes,
    completeness,
    perf_consistency,
    performance,
    rates,
    repeats,
    sangong,
    tables,
)
from loaders.checks.core import KEYS, RULES, Context, Rule

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RULES", "Rule", "run_checks", "rule_table"]


def run_checks(frames: dict[str, pd.DataFrame], docs: dict, codes: list[str] | None = None,
               scope: str | None = None) -> list[dict]:
    """Run every rule (or the given codes; or the rules of one scope, ``disclosure`` or
    ``entity``) and return rows in the checks schema."""
    ctx = Context(frames, docs or {})
    rows: list[dict] = []
    for code, rule in RULES.items():
        if (codes is not None and code not in codes) or (scope is not None and rule.scope != scope):
            continue
        for row in rule.func(ctx):
            if None in map(row.get, KEYS):
                continue  # a finding that cannot be tied to a document is not a row
            rows.append({**row, "rule": code, "family": rule.family, "severity": rule.severity})
    return rows


def rule_table() -> pd.DataFrame:
    """One row per rule: code, family, severity, description."""
    import pandas as pd

    return pd.DataFrame(
        [
            {"rule": r.code, "family": r.family, "severity": r.severity, "description": r.description}
            for r in RULES.values()
        ]
    )
