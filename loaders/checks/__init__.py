"""Placeholder: the rule engine (being written). See run_checks."""

from __future__ import annotations

import pandas as pd


def run_checks(frames: dict[str, pd.DataFrame], extractions: dict) -> list[dict]:
    """Return check rows (checks schema, keys included) for all loaded documents."""
    return []
