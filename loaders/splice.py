"""Concatenate parquet row groups from several files without decoding them.

An incremental build changes a few documents among thousands: their row groups are written
afresh, every other row group is copied byte for byte from the previous dataset file. A
parquet file is ``PAR1``, the row groups' column chunks, then the footer (Thrift compact
``FileMetaData``: the schema and, per row group, where each column chunk starts); so the
new file is the chunks one after another and a footer whose offsets are moved by where each
chunk landed. The footer is decoded and encoded generically (any field kept as it was);
only offsets, row counts and ordinals change. Files must share one schema and be written
without page indexes (``write_page_index=False``, pyarrow's default).
"""

from __future__ import annotations

import mmap
import os
import struct
from pathlib import Path

MAGIC = b"PAR1"
_COPY = 16 << 20  # bytes copied at a time
# Thrift compact types.
_TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT = range(1, 13)
# Field ids (parquet.thrift).
_FMD_NUM_ROWS, _FMD_ROW_GROUPS = 3, 4
_RG_COLUMNS, _RG_FILE_OFFSET, _RG_ORDINAL = 1, 5, 7
_CC_FILE_OFFSET, _CC_META, _CC_OFFSET_INDEX, _CC_COLUMN_INDEX = 2, 3, 4, 6
_CMD_SIZE, _CMD_DATA, _CMD_INDEX, _CMD_DICT, _CMD_BLOOM = 7, 9, 10, 11, 14


class SpliceError(ValueError):
    """A file this module cannot splice (page indexes, another schema): rewrite it instead."""


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def byte(self) -> int:
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, kind: int):
        if kind in (_TRUE, _FALSE):
            return self.byte()  # in a container: one byte
        if kind in (_BYTE,):
            return self.byte()
        if kind in (_I16, _I32, _I64):
            return self.zigzag()
        if kind == _DOUBLE:
            v = self.data[self.pos:self.pos + 8]
            self.pos += 8
            return v
        if kind == _BINARY:
            n = self.varint()
            v = self.data[self.pos:self.pos + n]
            self.pos += n
            return v
        if kind in (_LIST, _SET):
            head = self.byte()
            size, elem = head >> 4, head & 0x0F
            if size == 15:
                size = self.varint()
            return (elem, [self.value(elem) for _ in range(size)])
        if kind == _MAP:
            size = self.varint()
            if not size:
                return (0, 0, [])
            types = self.byte()
            kt, vt = types >> 4, types & 0x0F
            return (kt, vt, [(self.value(kt), self.value(vt)) for _ in range(size)])
        if kind == _STRUCT:
            return self.struct()
        raise SpliceError(f"unknown thrift type {kind}")

    def struct(self) -> list:
        fields, last = [], 0
        while True:
            head = self.byte()
            if head == 0:
                return fields
            delta, kind = head >> 4, head & 0x0F
            fid = last + delta if delta else self.zigzag()
            if kind in (_TRUE, _FALSE):
                fields.append([fid, kind, kind == _TRUE])
            else:
                fields.append([fid, kind, self.value(kind)])
            last = fid


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _zigzag(n: int) -> bytes:
    return _varint((n << 1) ^ (n >> 63))


def _value(kind: int, v) -> bytes:
    if kind in (_TRUE, _FALSE, _BYTE):
        return bytes([v])
    if kind in (_I16, _I32, _I64):
        return _zigzag(v)
    if kind == _DOUBLE:
        return bytes(v)
    if kind == _BINARY:
        return _varint(len(v)) + bytes(v)
    if kind in (_LIST, _SET):
        elem, items = v
        head = bytes([(len(items) << 4) | elem]) if len(items) < 15 else bytes([0xF0 | elem]) + _varint(len(items))
        return head + b"".join(_value(elem, x) for x in items)
    if kind == _MAP:
        kt, vt, items = v
        if not items:
            return b"\x00"
        return _varint(len(items)) + bytes([(kt << 4) | vt]) + b"".join(
            _value(kt, a) + _value(vt, b) for a, b in items)
    if kind == _STRUCT:
        return _struct(v)
    raise SpliceError(f"unknown thrift type {kind}")


def _struct(fields: list) -> bytes:
    out, last = bytearray(), 0
    for fid, kind, v in fields:
        wire = (_TRUE if v else _FALSE) if kind in (_TRUE, _FALSE) else kind
        delta = fid - last
        out += bytes([(delta << 4) | wire]) if 0 < delta <= 15 else bytes([wire]) + _zigzag(fid)
        if kind not in (_TRUE, _FALSE):
            out += _value(kind, v)
        last = fid
    out.append(0)
    return bytes(out)


def _field(fields: list, fid: int):
    return next((f for f in fields if f[0] == fid), None)


def _footer(data: bytes) -> tuple[list, int]:
    if data[:4] != MAGIC or data[-4:] != MAGIC:
        raise SpliceError("not a parquet file")
    n = struct.unpack("<I", data[-8:-4])[0]
    start = len(data) - 8 - n
    return _Reader(bytes(data[start:-8])).struct(), start


def _chunk_start(column: list) -> int:
    meta = _field(column, _CC_META)[2]
    dict_offset = _field(meta, _CMD_DICT)
    data_offset = _field(meta, _CMD_DATA)[2]
    return min(data_offset, dict_offset[2]) if dict_offset and dict_offset[2] > 0 else data_offset


def _shift(row_group: list, by: int, ordinal: int) -> list:
    for f in row_group:
        if f[0] == _RG_FILE_OFFSET:
            f[2] += by
        elif f[0] == _RG_ORDINAL:
            f[2] = ordinal
    for column in _field(row_group, _RG_COLUMNS)[2][1]:
        if _field(column, _CC_OFFSET_INDEX) or _field(column, _CC_COLUMN_INDEX):
            raise SpliceError("page indexes are not spliced")
        for f in column:
            if f[0] == _CC_FILE_OFFSET and f[2]:
                f[2] += by
        for f in _field(column, _CC_META)[2]:
            if f[0] in (_CMD_DATA, _CMD_INDEX, _CMD_DICT, _CMD_BLOOM) and f[2] > 0:
                f[2] += by
    return row_group


class ParquetParts:
    """The row groups of one parquet file, each as (byte range, its metadata)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._file = open(self.path, "rb")  # noqa: SIM115  (closed by close / the with block)
        try:
            data = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            self._file.close()
            raise SpliceError(f"{self.path.name}: empty") from None
        self.meta, footer_start = _footer(data)
        self.data = data
        groups = _field(self.meta, _FMD_ROW_GROUPS)
        self.row_groups = groups[2][1] if groups else []
        starts = [_chunk_start(_field(rg, _RG_COLUMNS)[2][1][0]) for rg in self.row_groups]
        self.ranges = list(zip(starts, [*starts[1:], footer_start][:len(starts)], strict=True))

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
        return _field(self.row_groups[i], 3)[2]


def splice(target: Path, parts: list[tuple[ParquetParts, int]]) -> None:
    """Write ``target``: the given row groups, in that order, copied byte for byte."""
    if not parts:
        raise SpliceError("nothing to splice")
    first = parts[0][0]
    schema = _field(first.meta, 2)
    row_groups, total = [], 0
    runs: list[tuple[ParquetParts, int, int]] = []  # (source, start, end): adjacent chunks merged
    pos = len(MAGIC)
    for source, i in parts:
        if _field(source.meta, 2) != schema:
            raise SpliceError(f"{source.path.name}: another schema")
        start, end = source.ranges[i]
        if runs and runs[-1][0] is source and runs[-1][2] == start:
            runs[-1] = (source, runs[-1][1], end)
        else:
            runs.append((source, start, end))
        row_groups.append(_shift(_copy(source.row_groups[i]), pos - start, len(row_groups)))
        total += source.num_rows(i)
        pos += end - start
    with open(target, "wb") as out:
        out.write(MAGIC)
        out.flush()
        at = len(MAGIC)
        for source, start, end in runs:
            _copy_range(source, start, end, out, at)
            at += end - start
        out.seek(at)
        meta = []
        for f in first.meta:
            if f[0] == _FMD_NUM_ROWS:
                meta.append([f[0], f[1], total])
            elif f[0] == _FMD_ROW_GROUPS:
                meta.append([f[0], f[1], (_STRUCT, row_groups)])
            else:
                meta.append(f)
        if _field(meta, _FMD_ROW_GROUPS) is None:
            raise SpliceError("no row groups")
        footer = _struct(meta)
        out.write(footer + struct.pack("<I", len(footer)) + MAGIC)


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


def _copy(v):
    """A deep copy of a decoded struct (lists of [id, type, value])."""
    if isinstance(v, list):
        return [_copy(x) for x in v]
    if isinstance(v, tuple):
        return tuple(_copy(x) for x in v)
    return v
