"""The rule engine: consistency checks over the assembled datasets.

Each rule (stable code, family, severity, one-line Chinese description) lives in the module
of its family and yields checks rows: pass / fail / warn with expected, found, difference
and the source_ref of the printed figure it rests on. Only printed figures are compared.

    run_checks(frames, docs) -> list[dict]   rows of the ``checks`` dataset, keys included
    RULES                                   code -> Rule, for the dashboard's rule list
"""

from __future__ import annotations

import pandas as pd

from loaders.checks import completeness, performance, rates, repeats, sangong, tables  # noqa: F401  (registers)
from loaders.checks.core import KEYS, RULES, Context, Rule

__all__ = ["RULES", "Rule", "run_checks", "rule_table"]


def run_checks(frames: dict[str, pd.DataFrame], docs: dict, codes: list[str] | None = None) -> list[dict]:
    """Run every rule (or the given codes) and return rows in the checks schema."""
    ctx = Context(frames, docs or {})
    rows: list[dict] = []
    for code, rule in RULES.items():
        if codes is not None and code not in codes:
            continue
        for row in rule.func(ctx):
            if any(row.get(k) is None for k in KEYS):
                continue  # a finding that cannot be tied to a document is not a row
            rows.append({**row, "rule": code, "family": rule.family, "severity": rule.severity})
    return rows


def rule_table() -> pd.DataFrame:
    """One row per rule: code, family, severity, description."""
    return pd.DataFrame(
        [
            {"rule": r.code, "family": r.family, "severity": r.severity, "description": r.description}
            for r in RULES.values()
        ]
    )
