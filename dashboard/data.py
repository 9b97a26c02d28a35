"""Reading the datasets for the dashboard (pure: no Streamlit here; pages cache the call)."""

from __future__ import annotations

import os
from dataclasses import dataclass
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

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    @property
    def empty(self) -> bool:
        return self.frames["documents"].empty


# What the pages show of projects and indicators: the self-evaluations. A 申报表's plan
# (origin ``declaration``) has no actual and no score, and would be counted twice beside them.
SELF_EVALUATED = ("projects", "indicators")
# Figures the pages draw as printed. A prior-year figure derived from a stated change
# (origin ``derived``) is arithmetic on the document's words; the pages read the change
# itself from ``stated_changes`` instead of drawing it as a printed bar.
PRINTED_ONLY = ("budget_lines", "sangong")


def read_all(directory: Path | None = None) -> Datasets:
    directory = directory or data_dir()
    frames = {name: read_dataset(directory, name) for name in DATASETS}
    for name in SELF_EVALUATED:
        df = frames[name]
        if "origin" in df.columns:
            frames[name] = df[df["origin"].fillna("self_eval") != "declaration"].reset_index(drop=True)
    for name in PRINTED_ONLY:
        df = frames[name]
        if "origin" in df.columns:
            frames[name] = df[df["origin"] != "derived"].reset_index(drop=True)
    return Datasets(frames)
