"""Thrift's compact protocol, generically: a struct decodes to a list of ``[field id, type,
value]`` and encodes back to the same bytes, any field kept as it was (parquet's footer,
``FileMetaData``, is such a struct; :mod:`loaders.splice` moves its offsets).

A list of structs may also be given already encoded (bytes), to be written as they are.
"""

from __future__ import annotations


class ThriftError(ValueError):
    """Bytes that are not Thrift compact as this module reads it."""


# Thrift compact types.
TRUE, FALSE, BYTE, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT = range(1, 13)
BOOL_KINDS = (TRUE, FALSE)  # a bool field's value is its type


class Reader:
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
        if kind in (TRUE, FALSE):
            return self.byte()  # in a container: one byte
        if kind in (BYTE,):
            return self.byte()
        if kind in (I16, I32, I64):
            return self.zigzag()
        if kind == DOUBLE:
            v = self.data[self.pos:self.pos + 8]
            self.pos += 8
            return v
        if kind == BINARY:
            n = self.varint()
            v = self.data[self.pos:self.pos + n]
            self.pos += n
            return v
        if kind in (LIST, SET):
            head = self.byte()
            size, elem = head >> 4, head & 0x0F
            if size == 15:
                size = self.varint()
            return (elem, [self.value(elem) for _ in range(size)])
        if kind == MAP:
            size = self.varint()
            if not size:
                return (0, 0, [])
            types = self.byte()
            kt, vt = types >> 4, types & 0x0F
            return (kt, vt, [(self.value(kt), self.value(vt)) for _ in range(size)])
        if kind == STRUCT:
            return self.struct()
        raise ThriftError(f"unknown thrift type {kind}")

    def struct(self) -> list:
        fields, last = [], 0
        while True:
            head = self.byte()
            if head == 0:
                return fields
            delta, kind = head >> 4, head & 0x0F
            fid = last + delta if delta else self.zigzag()
            if kind in (TRUE, FALSE):
                fields.append([fid, kind, kind == TRUE])
            else:
                fields.append([fid, kind, self.value(kind)])
            last = fid


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n: int) -> bytes:
    return varint((n << 1) ^ (n >> 63))


def encode_value(kind: int, v) -> bytes:
    if kind in (TRUE, FALSE, BYTE):
        return bytes([v])
    if kind in (I16, I32, I64):
        return zigzag(v)
    if kind == DOUBLE:
        return bytes(v)
    if kind == BINARY:
        return varint(len(v)) + bytes(v)
    if kind in (LIST, SET):
        elem, items = v
        if elem == STRUCT and items and isinstance(items[0], bytes):  # structs encoded already
            return list_head(len(items), elem) + b"".join(items)
        return list_head(len(items), elem) + b"".join(encode_value(elem, x) for x in items)
    if kind == MAP:
        kt, vt, items = v
        if not items:
            return b"\x00"
        return varint(len(items)) + bytes([(kt << 4) | vt]) + b"".join(
            encode_value(kt, a) + encode_value(vt, b) for a, b in items)
    if kind == STRUCT:
        return encode_struct(v)
    raise ThriftError(f"unknown thrift type {kind}")


def list_head(size: int, elem: int) -> bytes:
    return bytes([(size << 4) | elem]) if size < 15 else bytes([0xF0 | elem]) + varint(size)


def field_head(fid: int, kind: int, v, last: int) -> bytes:
    """A field's header after field ``last`` (a bool's value is in its type)."""
    wire = (TRUE if v else FALSE) if kind in (TRUE, FALSE) else kind
    delta = fid - last
    return bytes([(delta << 4) | wire]) if 0 < delta <= 15 else bytes([wire]) + zigzag(fid)


def encode_struct(fields: list) -> bytes:
    out, last = bytearray(), 0
    for fid, kind, v in fields:
        out += field_head(fid, kind, v, last)
        if kind not in (TRUE, FALSE):
            out += encode_value(kind, v)
        last = fid
    out.append(0)
    return bytes(out)


