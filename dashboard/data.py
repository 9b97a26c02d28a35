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


def read_all(directory: Path | None = None) -> Datasets:
    directory = directory or data_dir()
    return Datasets({name: read_dataset(directory, name) for name in DATASETS})
