"""Reading the datasets for the dashboard (pure: no Streamlit here; pages cache the call)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders.schema import DATASETS, DEFAULT_OUT, read_dataset


def data_dir() -> Path:
    """Where the datasets are: $BUDGET_DATA_DIR, else data/processed beside app.py."""
    env = os.environ.get("BUDGET_DATA_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / DEFAULT_OUT


@dataclass(frozen=True)
class Datasets:
    frames: dict[str, pd.DataFrame]
    # Rows of PRINTED_ONLY datasets with origin ``derived``, kept apart so that no page draws them
    # as printed; a page that shows them marks them (see dashboard/changes.py).
    derived_frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def derived(self, name: str) -> pd.DataFrame:
        """The derived rows of ``name`` (empty, with the dataset's columns, where there are none)."""
        if name in self.derived_frames:
            return self.derived_frames[name]
        return self.frames[name].head(0)

    @property
    def empty(self) -> bool:
        return self.frames["documents"].empty


# What the pages show of projects and indicators: the self-evaluations. A 申报表's plan
# (origin ``declaration``) has no actual and no score, and would be counted twice beside them.
SELF_EVALUATED = ("projects", "indicators")
# Figures the pages draw as printed. A prior-year figure derived from a stated change
# (origin ``derived``) is arithmetic on the document's words: it is kept apart
# (``Datasets.derived``) and shown only with its mark beside the change from ``stated_changes``.
PRINTED_ONLY = ("budget_lines", "sangong")


def read_all(directory: Path | None = None) -> Datasets:
    directory = directory or data_dir()
    frames = {name: read_dataset(directory, name) for name in DATASETS}
    for name in SELF_EVALUATED:
        df = frames[name]
        if "origin" in df.columns:
            frames[name] = df[df["origin"].fillna("self_eval") != "declaration"].reset_index(drop=True)
    derived = {}
    for name in PRINTED_ONLY:
        df = frames[name]
        if "origin" in df.columns:
            is_derived = df["origin"] == "derived"
            frames[name] = df[~is_derived].reset_index(drop=True)
            derived[name] = df[is_derived].reset_index(drop=True)
    return Datasets(frames, derived)
