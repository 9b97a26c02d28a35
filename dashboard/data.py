"""The datasets as the pages see them (pure: no Streamlit here; dashboard/ui.py caches the store).

``StoreDatasets`` reads through the DuckDB store (dashboard/store.py): ``ds["projects"]`` fetches
only the rows of the selection, once per rerun; ``documents`` (one row per file) is read whole.
``read_all`` reads every dataset into pandas (the reference the store's results are tested against).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.store import DERIVED, PRINTED_ONLY, SELF_EVALUATED, Store
from loaders.schema import DATASETS, DEFAULT_OUT, read_dataset

__all__ = ["PRINTED_ONLY", "SELF_EVALUATED", "Datasets", "StoreDatasets", "data_dir", "default_departments", "read_all", "selected_rows"]


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

    def all(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    @property
    def empty(self) -> bool:
        return self.frames["documents"].empty


def read_all(directory: Path | None = None) -> Datasets:
    """Every dataset in pandas, with the pages' reading rules (as the store's views apply them)."""
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


@dataclass(frozen=True)
class Selection:
    """What the sidebar selected (an empty tuple = all): the keys a query narrows on."""

    entities: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    doc_kinds: tuple[str, ...] = ()

    @classmethod
    def of(cls, f) -> Selection:
        """From a ``dashboard.common.Filters`` (or anything with the same three fields)."""
        return cls(tuple(f.entities), tuple(int(y) for y in f.years), tuple(f.doc_kinds))

    def documents(self, docs: pd.DataFrame) -> pd.DataFrame:
        mask = pd.Series(True, index=docs.index)
        for col, values in (("entity_id", self.entities), ("year", self.years), ("doc_kind", self.doc_kinds)):
            if values:
                mask &= docs[col].isin(values)
        return docs[mask]


def selected_rows(store: Store, view: str, sel: Selection) -> pd.DataFrame:
    """The rows of ``view`` (a dataset, or ``<name>__derived``) inside the selection."""
    if view == "lines":  # lines carry doc_id only: the selected documents' lines
        ids = None if sel == Selection() else list(sel.documents(store.documents())["doc_id"])
        return store.rows(view, doc_ids=ids)
    return store.rows(view, sel.entities, sel.years, sel.doc_kinds)


class StoreDatasets:
    """``Datasets``'s interface over a ``Store``: ``ds[name]``, ``ds.derived(name)``, ``ds.empty``.

    ``ds["documents"]`` is always the whole documents dataset. Every other dataset holds the
    rows of ``selection`` only (all rows without one), fetched on first use and kept for the
    life of this object (one rerun). ``ds.all(name)`` is a dataset whole, where a page needs it.
    """

    def __init__(self, store: Store, selection: Selection | None = None, fetch=None):
        self.store = store
        self.selection = selection or Selection()
        # fetch(store, view, selection) -> rows: ``selected_rows``, or a cached wrapper of it (ui.py).
        self._fetcher = fetch or selected_rows
        self._cache: dict[str, pd.DataFrame] = {}

    def narrowed(self, f) -> StoreDatasets:
        """The same store narrowed to the sidebar selection ``f`` (Filters or Selection)."""
        sel = f if isinstance(f, Selection) else Selection.of(f)
        return self if sel == self.selection else StoreDatasets(self.store, sel, self._fetcher)

    def _fetch(self, view: str) -> pd.DataFrame:
        if view not in self._cache:
            self._cache[view] = self._fetcher(self.store, view, self.selection)
        return self._cache[view]

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in DATASETS:
            raise KeyError(name)
        if name == "documents":
            return self.store.documents()
        return self._fetch(name)

    def derived(self, name: str) -> pd.DataFrame:
        if name in PRINTED_ONLY:
            return self._fetch(name + DERIVED)
        return self[name].head(0)

    def all(self, name: str) -> pd.DataFrame:
        """Dataset ``name`` whole, whatever the selection (not cached: use sparingly)."""
        return self.store.documents() if name == "documents" else self.store.rows(name)

    @property
    def frames(self) -> Mapping[str, pd.DataFrame]:
        return Frames(self)

    @property
    def empty(self) -> bool:
        return self.store.documents().empty


class Frames(Mapping):
    """Every dataset narrowed to a selection, fetched when first read (``documents`` narrowed too)."""

    def __init__(self, ds: StoreDatasets):
        self._ds = ds

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name == "documents":
            return self._ds.selection.documents(self._ds["documents"])
        return self._ds[name]

    def __iter__(self) -> Iterator[str]:
        return iter(DATASETS)

    def __len__(self) -> int:
        return len(DATASETS)


def default_departments(docs: pd.DataFrame, labels: dict[str, str], limit: int,
                        themes: dict[str, int] | None = None) -> tuple[list[str], int]:
    """The ``limit`` departments of ``docs`` that disclose the most themes (``themes``: entity_id →
    count), by name among equals, and how many departments there are."""
    themes = themes or {}
    ids = sorted(set(docs["entity_id"]), key=lambda e: (-themes.get(e, 0), labels.get(e, e), e))
    return ids[:limit], len(ids)
