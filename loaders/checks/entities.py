"""The rules that compare an entity's documents of several years (scope ``entity``), over
the stored datasets, one entity at a time.

The build assembles and checks one disclosure at a time (bounded memory), so a rule that
needs the prior year's document (CHG-PRIOR: a change stated against last year's figure)
sees there only what its own disclosure prints. :func:`entity_checks` runs those rules over
each entity that has documents of more than one year, reading only the columns they use;
its rows are checks rows like any other's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from loaders.checks import run_checks
from loaders.checks.stored import stored_documents

if TYPE_CHECKING:  # imported where used: a build imports this module, not what it reads with
    import pandas as pd

# What the entity rules read, by dataset (None: every column); the build's entity pass reads
# the same (loaders.entry), besides the lines.
READS = {"documents": None, "stated_changes": None, "sangong": None, "budget_lines": None}
_READ = READS  # the name loaders.entry imports


def _read(path: Path, entities: list[str], columns) -> pd.DataFrame:
    import pandas as pd
    import pyarrow.dataset as ds

    if not path.exists():
        return pd.DataFrame()
    data = ds.dataset(path)
    return data.to_table(columns=columns, filter=ds.field("entity_id").isin(entities)).to_pandas()


def entity_checks(out_dir: Path | str) -> list[dict]:
    """Rows of the ``entity``-scope rules over the datasets stored in ``out_dir``."""
    import pyarrow.dataset as ds

    out_dir = Path(out_dir)
    docs_path = out_dir / "documents.parquet"
    if not docs_path.exists():
        return []
    years = ds.dataset(docs_path).to_table(columns=["entity_id", "year"]).to_pandas()
    several = sorted(e for e, y in years.groupby("entity_id")["year"] if y.nunique() > 1)
    rows: list[dict] = []
    for entity in several:
        frames = {name: _read(out_dir / f"{name}.parquet", [entity], cols) for name, cols in READS.items()}
        lines = out_dir / "lines.parquet"  # the line a finding's figure is printed on
        if lines.exists() and not frames["documents"].empty:
            ids = frames["documents"]["doc_id"].tolist()
            frames["lines"] = ds.dataset(lines).to_table(filter=ds.field("doc_id").isin(ids)).to_pandas()
        rows += run_checks(frames, stored_documents(frames), scope="entity")
    return rows
