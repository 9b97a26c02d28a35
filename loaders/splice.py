"""Concatenate parquet row groups from several files without decoding them.

An incremental build changes a few documents among thousands: their row groups are written
afresh, every other row group is copied byte for byte from the previous dataset file. A
parquet file is ``PAR1``, the row groups' column chunks, then the footer (Thrift compact
``FileMetaData``: the schema and, per row group, where each column chunk starts); so the
new file is the chunks one after another and a footer whose offsets are moved by where each
chunk landed. Only offsets, row counts and ordinals change; every other byte of a row
group's metadata is kept as it was. Files must share one schema and be written without
page indexes (``write_page_index=False``, pyarrow's default).

A row group's metadata is kept as a :class:`RowGroupFooter`: its encoded bytes cut at each
offset, so that moving it re-encodes a few numbers, not the struct. Decoding a footer in
Python costs seconds for a file of a few hundred row groups, so the build keeps the
templates of the files it wrote (:class:`FooterCache`) and decodes only the new row groups.
"""

from __future__ import annotations

import mmap
import os
import pickle
import struct
from dataclasses import dataclass, replace
from pathlib import Path

from loaders.store import write_bytes_atomic
from loaders.thrift_compact import (
    BOOL_KINDS,
    I64,
    LIST,
    STRUCT,
    Reader,
    ThriftError,
    encode_struct,
    encode_value,
    field_head,
    list_head,
    zigzag,
)

MAGIC = b"PAR1"
_COPY = 16 << 20  # bytes copied at a time
# Field ids (parquet.thrift).
_FMD_SCHEMA, _FMD_NUM_ROWS, _FMD_ROW_GROUPS = 2, 3, 4
_RG_COLUMNS, _RG_NUM_ROWS, _RG_FILE_OFFSET, _RG_ORDINAL = 1, 3, 5, 7
_CC_FILE_OFFSET, _CC_META, _CC_OFFSET_INDEX, _CC_COLUMN_INDEX = 2, 3, 4, 6
_CMD_DATA, _CMD_INDEX, _CMD_DICT, _CMD_BLOOM = 9, 10, 11, 14
_OFFSET, _ORDINAL = 0, 1  # what a cut in a row group's bytes holds


class SpliceError(ValueError):
    """A file this module cannot splice (page indexes, another schema): rewrite it instead."""


@dataclass(frozen=True)
class RowGroupFooter:
    """One row group's metadata as bytes cut at its offsets: ``pieces[0] v0 pieces[1] v1 …``
    (each ``v`` a zigzag varint), and the byte range of its column chunks in its file."""

    pieces: tuple[bytes, ...]
    cuts: tuple[tuple[int, int], ...]  # (what, value)
    num_rows: int
    start: int
    end: int

    def moved(self, by: int, ordinal: int) -> RowGroupFooter:
        cuts = tuple((what, ordinal if what == _ORDINAL else v + by) for what, v in self.cuts)
        return replace(self, cuts=cuts, start=self.start + by, end=self.end + by)

    def encoded(self) -> bytes:
        out = [self.pieces[0]]
        for (_, v), piece in zip(self.cuts, self.pieces[1:], strict=True):
            out.append(zigzag(v))
            out.append(piece)
        return b"".join(out)


class _Cutter:
    """Encodes a struct, leaving a cut where an offset or the ordinal goes."""

    def __init__(self):
        self.pieces, self.cuts, self.buf = [], [], bytearray()

    def cut(self, what: int, v: int) -> None:
        self.pieces.append(bytes(self.buf))
        self.cuts.append((what, v))
        self.buf = bytearray()

    def struct(self, fields: list, cut_at) -> None:
        last = 0
        for fid, kind, v in fields:
            self.buf += field_head(fid, kind, v, last)
            last = fid
            if kind in BOOL_KINDS:
                continue
            what = cut_at(fid, v)
            if what is not None:
                self.cut(what, v)
            elif fid == _RG_COLUMNS and cut_at is _rg_cut and kind == LIST:
                elem, columns = v
                self.buf += list_head(len(columns), elem)
                for column in columns:
                    self.struct(column, _cc_cut)
            elif fid == _CC_META and cut_at is _cc_cut:
                self.struct(v, _cmd_cut)
            else:
                self.buf += encode_value(kind, v)
        self.buf.append(0)


def _rg_cut(fid: int, v) -> int | None:
    return {_RG_FILE_OFFSET: _OFFSET, _RG_ORDINAL: _ORDINAL}.get(fid)


def _cc_cut(fid: int, v) -> int | None:
    if fid in (_CC_OFFSET_INDEX, _CC_COLUMN_INDEX):
        raise SpliceError("page indexes are not spliced")
    return _OFFSET if fid == _CC_FILE_OFFSET and v else None


def _cmd_cut(fid: int, v) -> int | None:
    return _OFFSET if fid in (_CMD_DATA, _CMD_INDEX, _CMD_DICT, _CMD_BLOOM) and v > 0 else None


def _field(fields: list, fid: int):
    return next((f for f in fields if f[0] == fid), None)


def _chunk_start(column: list) -> int:
    meta = _field(column, _CC_META)[2]
    dict_offset = _field(meta, _CMD_DICT)
    data_offset = _field(meta, _CMD_DATA)[2]
    return min(data_offset, dict_offset[2]) if dict_offset and dict_offset[2] > 0 else data_offset


def _decoded(data) -> tuple[list, list[RowGroupFooter]]:
    """A footer decoded: its other fields (schema, key-values …) and its row groups."""
    if data[:4] != MAGIC or data[-4:] != MAGIC:
        raise SpliceError("not a parquet file")
    n = struct.unpack("<I", data[-8:-4])[0]
    footer_start = len(data) - 8 - n
    try:
        meta = Reader(bytes(data[footer_start:-8])).struct()
    except (ThriftError, IndexError) as exc:
        raise SpliceError(f"unreadable footer ({exc})") from None
    groups = _field(meta, _FMD_ROW_GROUPS)
    row_groups = groups[2][1] if groups else []
    starts = [_chunk_start(_field(rg, _RG_COLUMNS)[2][1][0]) for rg in row_groups]
    footers = []
    for rg, start, end in zip(row_groups, starts, [*starts[1:], footer_start][:len(starts)], strict=True):
        cutter = _Cutter()
        cutter.struct(rg, _rg_cut)
        footers.append(RowGroupFooter((*cutter.pieces, bytes(cutter.buf)), tuple(cutter.cuts),
                                      _field(rg, _RG_NUM_ROWS)[2], start, end))
    head = [f for f in meta if f[0] not in (_FMD_NUM_ROWS, _FMD_ROW_GROUPS)]
    return head, footers


def _stat(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


class FooterCache:
    """The footers of the files a build wrote, by path, valid while the file's size and
    mtime are those recorded (any other file, or one replaced since, is decoded again)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.entries: dict[str, tuple] = pickle.loads(self.path.read_bytes())
        except Exception:  # absent, damaged or of another version: decode the files instead
            self.entries = {}

    def get(self, file: Path) -> tuple[list, list[RowGroupFooter]] | None:
        hit = self.entries.get(str(file))
        try:
            return hit[1] if hit and hit[0] == _stat(Path(file)) else None
        except OSError:
            return None

    def put(self, file: Path, footer: tuple[list, list[RowGroupFooter]]) -> None:
        self.entries[str(file)] = (_stat(Path(file)), footer)

    def save(self) -> None:
        write_bytes_atomic(self.path, pickle.dumps(self.entries, protocol=pickle.HIGHEST_PROTOCOL))


class ParquetParts:
    """The row groups of one parquet file, each as (byte range, its metadata)."""

    def __init__(self, path: Path, footer: tuple[list, list[RowGroupFooter]] | None = None):
        self.path = Path(path)
        self._file = open(self.path, "rb")  # noqa: SIM115  (closed by close / the with block)
        try:
            data = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            self._file.close()
            raise SpliceError(f"{self.path.name}: empty") from None
        self.data = data
        try:
            self.head, self.row_groups = footer or _decoded(data)
        except SpliceError:
            self.close()
            raise

    @property
    def footer(self) -> tuple[list, list[RowGroupFooter]]:
        return self.head, self.row_groups

    def fileno(self) -> int:
        return self._file.fileno()

    def close(self) -> None:
        self.data.close()
        self._file.close()

    def __enter__(self) -> ParquetParts:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self.row_groups)

    def num_rows(self, i: int) -> int:
        return self.row_groups[i].num_rows


def splice(target: Path, parts: list[tuple[ParquetParts, int]]) -> tuple[list, list[RowGroupFooter]]:
    """Write ``target``: the given row groups, in that order, copied byte for byte; its footer."""
    if not parts:
        raise SpliceError("nothing to splice")
    head = parts[0][0].head
    schema = _field(head, _FMD_SCHEMA)
    row_groups: list[RowGroupFooter] = []
    runs: list[tuple[ParquetParts, int, int]] = []  # (source, start, end): adjacent chunks merged
    pos = len(MAGIC)
    for source, i in parts:
        if source.head is not head and _field(source.head, _FMD_SCHEMA) != schema:
            raise SpliceError(f"{source.path.name}: another schema")
        rg = source.row_groups[i]
        if runs and runs[-1][0] is source and runs[-1][2] == rg.start:
            runs[-1] = (source, runs[-1][1], rg.end)
        else:
            runs.append((source, rg.start, rg.end))
        row_groups.append(rg.moved(pos - rg.start, len(row_groups)))
        pos += rg.end - rg.start
    total = sum(rg.num_rows for rg in row_groups)
    meta = sorted([*head, [_FMD_NUM_ROWS, I64, total],
                   [_FMD_ROW_GROUPS, LIST, (STRUCT, [rg.encoded() for rg in row_groups])]], key=lambda f: f[0])
    footer = encode_struct(meta)
    with open(target, "wb") as out:
        out.write(MAGIC)
        out.flush()
        at = len(MAGIC)
        for source, start, end in runs:
            _copy_range(source, start, end, out, at)
            at += end - start
        out.seek(at)
        out.write(footer + struct.pack("<I", len(footer)) + MAGIC)
    return head, row_groups


def _copy_range(source: ParquetParts, start: int, end: int, out, at: int) -> None:
    """Bytes ``start:end`` of ``source`` to ``out`` at ``at``: in the kernel where it can
    (copy_file_range: no trip through Python's memory, the bulk of an incremental build at
    thousands of documents), else through the mapping."""
    done = 0
    if hasattr(os, "copy_file_range"):
        try:
            while done < end - start:
                n = os.copy_file_range(source.fileno(), out.fileno(), end - start - done,
                                       start + done, at + done)
                if n == 0:
                    break
                done += n
        except OSError:
            pass  # another file system or kernel: copy the rest through the mapping
    out.seek(at + done)
    for pos in range(start + done, end, _COPY):
        out.write(source.data[pos:min(end, pos + _COPY)])
    out.flush()
