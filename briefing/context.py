"""What a brief reads: the datasets narrowed to its departments and years, the names, and the
references (pure: no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from briefing.model import DocInfo, Ref
from dashboard.common import doc_label, entity_labels
from dashboard.labels import DOC_KIND, label

LANGS = ("zh", "en")


class BriefError(Exception):
    """Bad input: one line naming the thing and the reason (``usage`` → exit status 2)."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.usage = usage


@dataclass
class Context:
    frames: dict[str, pd.DataFrame]  # every dataset narrowed to the brief's documents
    derived: dict[str, pd.DataFrame]  # rows with origin ``derived`` (see dashboard.data)
    lang: str
    labels: dict[str, str]  # entity_id → short name (as the dashboard names it)
    names: dict[str, str]  # entity_id → the name the document prints
    docs: pd.DataFrame

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def __post_init__(self):
        self._docs = {r["doc_id"]: r for r in self.docs.to_dict("records")}

    def doc_text(self, doc_id: str) -> str:
        row = self._docs.get(doc_id)
        return doc_label(row, self.labels, self.lang) if row is not None else str(doc_id)

    def ref(self, doc_id, source_ref=None) -> Ref:
        row = self._docs.get(doc_id)
        file = Path(str(row["source_file"])).name if row is not None else ""
        src = source_ref if isinstance(source_ref, str) and source_ref else None
        return Ref(str(doc_id), src, self.doc_text(doc_id), file)

    def doc_infos(self) -> list[DocInfo]:
        out = []
        for r in self.docs.sort_values(["entity_id", "year", "doc_kind"]).to_dict("records"):
            out.append(DocInfo(r["doc_id"], doc_label(r, self.labels, self.lang), Path(str(r["source_file"])).name,
                               label(DOC_KIND, r["doc_kind"], self.lang), int(r["year"]), str(r["entity_name"]),
                               str(r["sha256"])))
        return out

    def of_all(self, entity_id: str) -> dict[str, pd.DataFrame]:
        """Every dataset narrowed to one department."""
        return {name: df[df["entity_id"] == entity_id] if "entity_id" in df else df for name, df in self.frames.items()}

    def of(self, name: str, entity_id: str | None = None) -> pd.DataFrame:
        df = self.frames[name]
        return df[df["entity_id"] == entity_id] if entity_id is not None else df


def load(entity_ids: list[str], year: int | None, lang: str, data_dir: Path | None) -> Context:
    """The datasets of ``data_dir`` narrowed to the departments (each at ``year``, else its latest)."""
    from dashboard.data import data_dir as default_dir
    from dashboard.data import read_all
    from loaders.schema import dataset_path

    if lang not in LANGS:
        raise BriefError(f"--lang {lang}: must be zh or en", usage=True)
    if not entity_ids:
        raise BriefError("--entity: name at least one department (entity_id)", usage=True)
    directory = Path(data_dir) if data_dir else default_dir()
    if not directory.is_dir():
        raise BriefError(f"{directory}: no such data folder (run python -m loaders build)")
    if not dataset_path(directory, "documents").exists():
        raise BriefError(f"{directory}: no datasets there (documents.parquet missing; run python -m loaders build)")
    ds = read_all(directory)
    docs_all = ds["documents"]
    known = set(docs_all["entity_id"])
    for eid in entity_ids:
        if eid not in known:
            some = ", ".join(sorted(known)[:12])
            raise BriefError(f"--entity {eid}: not in the datasets of {directory} (known: {some})", usage=True)
    keep = []
    for eid in entity_ids:
        own = docs_all[docs_all["entity_id"] == eid]
        years = sorted(int(y) for y in own["year"].unique())
        y = years[-1] if year is None else int(year)
        if y not in years:
            raise BriefError(f"--year {year}: {eid} has no document of that year (it has {', '.join(map(str, years))})",
                             usage=True)
        keep.extend(own.loc[own["year"] == y, "doc_id"])
    docs = docs_all[docs_all["doc_id"].isin(keep)].reset_index(drop=True)

    def narrow(df: pd.DataFrame) -> pd.DataFrame:
        return df[df["doc_id"].isin(keep)].reset_index(drop=True) if "doc_id" in df else df

    frames = {name: narrow(df) for name, df in ds.frames.items()}
    derived = {name: narrow(df) for name, df in ds.derived_frames.items()}
    try:  # the dashboard's English names where it has them
        labels = entity_labels(docs_all, lang)
    except TypeError:
        labels = entity_labels(docs_all)
    names = dict(zip(docs["entity_id"], docs["entity_name"], strict=True))
    if lang == "en":  # the dashboard's English name, with the name as printed
        names = {e: (f"{labels[e]} ({n})" if labels.get(e) and labels[e] != n else n) for e, n in names.items()}
    return Context(frames, derived, lang, labels, names, docs)
