"""``python -m loaders check``: the rule engine over the stored datasets alone.

The datasets are read forward once, one entity's rows at a time (the build writes each
entity's documents together, its disclosures one after the other), and each entity is
checked exactly as the build checks it, so the two agree row for row.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from loaders.assemble import _concat, entity_order, entity_tables
from loaders.entry import checks_of
from loaders.schema import DATASETS, SCHEMAS, dataset_path


class _Cursor:
    """A dataset read forward, one disclosure's rows at a time (they are contiguous)."""

    def __init__(self, path: Path, name: str):
        self.name = name
        self.batches = pq.ParquetFile(path).iter_batches(batch_size=1 << 16) if path.exists() else iter(())
        self.buffer = SCHEMAS[name].empty_table()

    def take(self, doc_ids: list[str]) -> pa.Table:
        out, wanted = [], pa.array(doc_ids, pa.string())
        while True:
            if not self.buffer.num_rows:
                batch = next(self.batches, None)
                if batch is None:
                    break
                self.buffer = pa.Table.from_batches([batch])
            outside = pc.invert(pc.is_in(self.buffer.column("doc_id"), value_set=wanted))
            n = pc.index(outside, True).as_py()
            n = self.buffer.num_rows if n < 0 else n
            out.append(self.buffer.slice(0, n))
            self.buffer = self.buffer.slice(n)
            if self.buffer.num_rows:
                break
        return _concat(self.name, [t.cast(SCHEMAS[self.name]) for t in out])


def recheck_stored(out_dir: Path) -> pa.Table:
    """The rule engine over the stored datasets alone, entity by entity and disclosure by
    disclosure as the build runs it: the checks a build of them writes."""
    docs = pq.read_table(dataset_path(out_dir, "documents"), columns=["doc_id", "entity_id", "disclosure_id"])
    docs = docs.to_pylist()
    cursors = {name: _Cursor(dataset_path(out_dir, name), name) for name in DATASETS if name != "checks"}
    parts = []
    for entity in entity_order([d["entity_id"] for d in docs], [d["disclosure_id"] for d in docs]):
        ids = [docs[i]["doc_id"] for g in entity for i in g]
        tables = {name: c.take(ids) for name, c in cursors.items()}
        disclosures = []
        for g in entity:
            wanted = pa.array([docs[i]["doc_id"] for i in g], pa.string())
            own = {name: t.filter(pc.is_in(t.column("doc_id"), value_set=wanted)) for name, t in tables.items()}
            own["checks"] = checks_of(own)
            disclosures.append(own)
        parts.append(entity_tables(disclosures)["checks"])
    return _concat("checks", parts)
