"""Assemble the datasets from the documents' entries, streaming, in bounded memory.

Documents are taken entity by entity (one department's documents of every year), and
within an entity disclosure by disclosure (the files of one department's disclosure of a
year and kind are linked: :mod:`loaders.disclosures`), each in the order of its first file.
Every cross-document step works within one entity: linking and the ``disclosure`` rules
within a disclosure, the ``entity`` rules (a document against the same department's other
years) over the entity. Each batch of about ``BATCH_DOCS`` documents becomes one row group of
every dataset, validated against its schema and written as it is made: nothing holds more
than one batch in flight per worker (batches are made in the build's worker processes when
there are several, written in order by the build); each dataset goes to a temp file renamed
into place at the end.

An incremental build keeps the batches whose entities are all unchanged: their row groups
are copied byte for byte from the previous files (:mod:`loaders.splice`), so adding one
document rewrites one batch, not the collection.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from loaders.disclosures import link_disclosures
from loaders.entry import DocumentSummary, checks_of, tables_of
from loaders.loaded import LoadedDocument, document_rows, fact_rows
from loaders.parallel import ordered_map
from loaders.schema import DATASETS, SCHEMAS, dataset_path, to_table, validate
from loaders.splice import FooterCache, ParquetParts, splice
from loaders.store import STORE_DIR

BATCH_DOCS = 64
FOOTERS = "footers.cache"  # in the store: the datasets' footers, for the next splice
# A file of fewer row groups than this keeps no footer in the cache: decoding it when it is
# next spliced costs about a millisecond (hundreds of row groups cost seconds).
FOOTER_KEPT_FROM = 8
_KEEP = "keep"


def group_order(keys: list[str]) -> list[list[int]]:
    """Indices grouped by key, groups in the order of their first member."""
    where: dict[str, int] = {}
    groups: list[list[int]] = []
    for i, d in enumerate(keys):
        if d not in where:
            where[d] = len(groups)
            groups.append([])
        groups[where[d]].append(i)
    return groups


def entity_order(entities: list[str], disclosures: list[str]) -> list[list[list[int]]]:
    """Indices by entity, then by disclosure within it; each in the order of its first file."""
    out = []
    for members in group_order(entities):
        out.append([[members[j] for j in g] for g in group_order([disclosures[i] for i in members])])
    return out


def _concat(name: str, parts: list[pa.Table]) -> pa.Table:
    parts = [t for t in parts if t.num_rows]
    return pa.concat_tables(parts) if parts else SCHEMAS[name].empty_table()


def linked_tables(docs: list[LoadedDocument], given: list[dict[str, pa.Table]] | None = None,
                  checks: bool = True) -> dict[str, pa.Table]:
    """The tables of one disclosure's files, linked (one row per figure, the other printing a
    repeat), with their disclosure checks. ``given``: each file's own tables, whose documents,
    lines and tables rows linking does not change (else they are made from ``docs``)."""
    if len(docs) > 1:
        link_disclosures(docs)
    own = given or [tables_of(document_rows(d)) for d in docs]
    facts = [fact_rows(d) for d in docs] if len(docs) > 1 or given is None else None
    tables = {}
    for name in DATASETS:
        if name == "checks":
            continue
        if facts is not None and name in facts[0]:
            rows = [r for f in facts for r in f[name]]
            tables[name] = to_table(name, rows) if rows else SCHEMAS[name].empty_table()
        else:
            tables[name] = _concat(name, [t[name] for t in own])
    tables["checks"] = checks_of(tables) if checks else SCHEMAS["checks"].empty_table()
    return tables


def entity_tables(disclosures: list[dict[str, pa.Table]], checks: bool = True) -> dict[str, pa.Table]:
    """One entity's tables: its disclosures' one after the other, their checks followed by
    the entity rules' (a document against the same department's other years)."""
    tables = {name: _concat(name, [d[name] for d in disclosures]) for name in DATASETS}
    if checks:
        tables["checks"] = _concat("checks", [tables["checks"], checks_of(tables, scope="entity")])
    return tables


def assemble_documents(docs: list[LoadedDocument], checks: bool = True) -> dict[str, pa.Table]:
    """All datasets of parsed documents held in memory (a preview, an upload, the report)."""
    from loaders.disclosures import disclosure_id

    parts = []
    for entity in entity_order([d.meta.entity.entity_id for d in docs], [disclosure_id(d.meta) for d in docs]):
        parts.append(entity_tables([linked_tables([docs[i] for i in g], checks=checks) for g in entity],
                                   checks=checks))
    return {name: _concat(name, [p[name] for p in parts]) for name in DATASETS}


@dataclass
class Group:
    """One entity's documents, by disclosure, each in the order given."""

    disclosures: list[list[DocumentSummary]]

    @property
    def members(self) -> list[DocumentSummary]:
        return [m for d in self.disclosures for m in d]

    @property
    def key(self) -> str:
        return "|".join(f"{m.sha256}:{m.path}" for m in self.members)

    @property
    def size(self) -> int:
        return len(self.members)


def groups_of(summaries: list[DocumentSummary]) -> list[Group]:
    order = entity_order([s.entity_id for s in summaries], [s.disclosure_id for s in summaries])
    return [Group([[summaries[i] for i in d] for d in entity]) for entity in order]


def _batched(groups: Iterable[Group]) -> list[list[Group]]:
    out: list[list[Group]] = [[]]
    n = 0
    for g in groups:
        if n >= BATCH_DOCS:
            out.append([])
            n = 0
        out[-1].append(g)
        n += g.size
    return [b for b in out if b]


def layout(groups: list[Group], previous: dict | None) -> list:
    """The batches to write: ``(_KEEP, i)`` for batch ``i`` of the previous datasets where
    it holds exactly the same disclosures, consecutively, else a list of groups to make."""
    old = (previous or {}).get("batches") or []
    starts = {b[0]: i for i, b in enumerate(old) if b}
    keys = [g.key for g in groups]
    out: list = []
    fresh: list[Group] = []
    i = 0
    while i < len(groups):
        b = starts.get(keys[i])
        if b is not None and keys[i:i + len(old[b])] == old[b]:
            out.extend(_batched(fresh))
            fresh = []
            out.append((_KEEP, b))
            i += len(old[b])
        else:
            fresh.append(groups[i])
            i += 1
    out.extend(_batched(fresh))
    return out


@dataclass
class Written:
    manifest: dict
    rows: dict[str, int] = field(default_factory=dict)
    failed_checks: int = 0


def batch_tables(groups: list[Group], make: Callable[[Group], dict[str, pa.Table]]) -> dict[str, pa.Table]:
    """One batch's tables, every dataset validated against its schema (where it was made: a
    worker, when batches are made in parallel)."""
    parts = [make(g) for g in groups]
    tables = {name: _concat(name, [p[name] for p in parts]) for name in DATASETS}
    for name, table in tables.items():
        if table.num_rows:
            validate(name, table)
    return tables


def write_store(out_dir: Path, groups: list[Group], make: Callable[[Group], dict[str, pa.Table]],
                previous: dict | None, before_replace: Callable[[], None] = lambda: None,
                jobs: int = 1) -> Written:
    """Write every dataset of ``groups`` (``make(group)``: its tables; new batches made in
    ``jobs`` processes), keeping the previous row groups of unchanged batches;
    ``before_replace`` runs once every file is ready."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out_dir)
    plan = layout(groups, previous)
    made = ordered_map(partial(batch_tables, make=make), [item for item in plan if not isinstance(item, tuple)],
                       jobs)
    fresh = {name: _tmp(out_dir, name, "fresh") for name in DATASETS}
    final: dict[str, Path] = {}
    writers = {name: pq.ParquetWriter(fresh[name], SCHEMAS[name]) for name in DATASETS}
    fresh_rg: dict[str, dict[int, int]] = {name: {} for name in DATASETS}  # batch → row group
    fresh_rows = dict.fromkeys(DATASETS, 0)
    batches: list[list[str]] = []
    failed_by_batch: list[int] = []
    try:
        for b, item in enumerate(plan):
            if isinstance(item, tuple):
                batches.append(previous["batches"][item[1]])
                failed_by_batch.append(previous["failed_by_batch"][item[1]])
                continue
            tables = next(made)
            batches.append([g.key for g in item])
            failed_by_batch.append(0)
            for name in DATASETS:
                table = tables[name]
                if not table.num_rows:
                    continue
                fresh_rg[name][b] = len(fresh_rg[name])
                fresh_rows[name] += table.num_rows
                writers[name].write_table(table, row_group_size=table.num_rows)
                if name == "checks":
                    failed_by_batch[b] = pc.sum(pc.equal(table.column("status"), "fail")).as_py() or 0
            del tables
        for w in writers.values():
            w.close()
        row_groups, rows, footers = {}, {}, {}
        old_rgs = (previous or {}).get("row_groups") or {}
        cache = FooterCache(out_dir / STORE_DIR / FOOTERS)
        for name in DATASETS:
            final[name], row_groups[name], rows[name], footers[name] = _finish(
                out_dir, name, plan, fresh[name], fresh_rg[name], fresh_rows[name], old_rgs.get(name) or [], cache)
        before_replace()
        for name in DATASETS:
            os.replace(final.pop(name), dataset_path(out_dir, name))
        cache.entries = {}  # for the next build's splice: these files' footers only
        for name in DATASETS:
            if footers[name] is not None:
                cache.put(dataset_path(out_dir, name), footers[name])
        cache.save()
    finally:
        made.close()  # the workers of batches not taken (an error) are stopped
        for w in writers.values():
            w.close()
        for tmp in [*fresh.values(), *final.values()]:
            Path(tmp).unlink(missing_ok=True)
    manifest = {
        "batches": batches, "row_groups": row_groups, "rows": rows, "failed_by_batch": failed_by_batch,
        "files": {name: _stat(dataset_path(out_dir, name)) for name in DATASETS},
    }
    return Written(manifest, rows, sum(failed_by_batch))


def remove_leftovers(out_dir: Path) -> None:
    """Temp files of a build that was killed (ours only: named after a dataset), found in one
    listing of the folder (a glob per dataset and kind compiled 24 patterns per build)."""
    ours = tuple(f".{name}.{what}." for name in DATASETS for what in ("fresh", "new"))
    with os.scandir(out_dir) as entries:
        leftovers = [e.path for e in entries if e.name.startswith(ours) and e.name.endswith(".tmp")]
    for tmp in leftovers:
        Path(tmp).unlink(missing_ok=True)


def _tmp(out_dir: Path, name: str, what: str) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.{what}.", suffix=".tmp", dir=out_dir)
    os.close(fd)
    return Path(tmp)


def _finish(out_dir: Path, name: str, plan: list, fresh: Path, fresh_rg: dict[int, int], fresh_rows: int,
            old_rgs: list[int], cache: FooterCache) -> tuple[Path, list[int], int, tuple | None]:
    """The dataset's new file (fresh row groups and kept ones, in the batches' order), the
    batch of each of its row groups, its rows, and its footer (None: a file of a few fresh row
    groups, decoded when it is next spliced)."""
    if not any(isinstance(item, tuple) for item in plan):  # nothing kept: the fresh file is the new one
        if len(fresh_rg) < FOOTER_KEPT_FROM:
            return fresh, sorted(fresh_rg), fresh_rows, None
        with ParquetParts(fresh) as written:
            return fresh, sorted(fresh_rg), fresh_rows, written.footer
    target = _tmp(out_dir, name, "new")
    where_old = {b: j for j, b in enumerate(old_rgs)}
    order: list[int] = []
    current = dataset_path(out_dir, name)
    with ParquetParts(current, cache.get(current)) as old, ParquetParts(fresh) as new:
        parts: list[tuple[ParquetParts, int]] = []
        for b, item in enumerate(plan):
            if isinstance(item, tuple):
                j = where_old.get(item[1])
                if j is not None:
                    parts.append((old, j))
                    order.append(b)
            elif b in fresh_rg:
                parts.append((new, fresh_rg[b]))
                order.append(b)
        if parts:
            footer = splice(target, parts)
            rows = sum(p.num_rows(i) for p, i in parts)
        else:
            pq.write_table(SCHEMAS[name].empty_table(), target)
            with ParquetParts(target) as written:
                footer, rows = written.footer, 0
    return target, order, rows, footer


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def files_unchanged(out_dir: Path, manifest: dict) -> bool:
    """Whether the datasets are the files the manifest describes (not replaced since)."""
    files = manifest.get("files") or {}
    try:
        return all(_stat(dataset_path(out_dir, n)) == files.get(n) for n in DATASETS)
    except OSError:
        return False

