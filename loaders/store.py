"""The output folder as a store: a document parsed once is not parsed again.

Each document that loads is kept in ``DIR/.store/<sha256>-<parser version>.entry`` (its
rows for every dataset, its own checks, the parsed document without its lines: see
:mod:`loaders.entry`); the next build of the same content with the same parser reads it
back instead of parsing. The parser version is a hash of the loaders' own files (code,
spec, registry), so any change to the parsing invalidates every entry without anyone having
to remember to bump a number. ``DIR/.store/manifest.json`` describes the datasets as last
written: which document is in which row group, and each file's size and mtime with its
sha256 (so an unchanged file is not hashed again). It is written after the datasets, so a
build killed half-way leaves a manifest that no longer matches and the next build redoes
what it must. Entries no build used are removed: the result always equals a clean build.
The store holds our own files (entries: Arrow IPC and a pickled head, see
:func:`loaders.entry.entry_bytes`), written atomically; nothing else is ever read.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOADERS = Path(__file__).resolve().parent
STORE_DIR = ".store"
MANIFEST = "manifest.json"
# What the parsing depends on: every module and data file of the loaders.
_PARSER_SUFFIXES = (".py", ".toml", ".tsv")


@cache
def parser_version() -> str:
    # One walk of the folder, not a glob per kind of file (every build asks), hashed in the
    # order the globs gave: each kind's files sorted as paths.
    found: list[tuple[str, str]] = []
    for folder, subfolders, names in os.walk(LOADERS):
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        found += [(folder, n) for n in names]
    digest = hashlib.sha256()
    for suffix in _PARSER_SUFFIXES:
        for path in sorted(Path(folder, n) for folder, n in found if n.endswith(suffix)):
            digest.update(str(path.relative_to(LOADERS)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader will say why, in its own words


def write_bytes_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Store:
    root: Path
    version: str

    @classmethod
    def at(cls, out_dir: Path) -> Store:
        return cls(Path(out_dir) / STORE_DIR, parser_version())

    def entry_name(self, sha256: str) -> str:
        return f"{sha256}-{self.version}.entry"

    def entry(self, sha256: str) -> Path:
        return self.root / self.entry_name(sha256)

    def entry_names(self) -> set[str]:
        """The names of the entries the store holds (of any parser version)."""
        try:
            return {name for name in os.listdir(self.root) if name.endswith(".entry")}
        except OSError:
            return set()

    def has(self, sha256: str | None) -> bool:
        return bool(sha256) and self.entry(sha256).exists()

    def read(self, sha256: str | None) -> bytes | None:
        """The stored bytes of this content's entry made by this parser, or None
        (:func:`loaders.entry.stored_entry` reads them as an entry)."""
        if not self.has(sha256):
            return None
        try:
            return self.entry(sha256).read_bytes()
        except OSError:
            return None

    def write(self, sha256: str, data: bytes) -> None:
        write_bytes_atomic(self.entry(sha256), data)

    def keep_only(self, sha256s: set[str]) -> int:
        """Remove the entries of other contents or other parser versions; how many."""
        if not self.root.exists():
            return 0
        keep = {self.entry(s).name for s in sha256s}
        removed = 0
        for entry in self.root.iterdir():
            if entry.name.startswith(".") and entry.suffix == ".tmp":  # left by a killed build
                entry.unlink(missing_ok=True)
            elif entry.suffix in (".entry", ".pickle") and entry.name not in keep:
                entry.unlink(missing_ok=True)
                removed += 1
        return removed

    # The manifest: what the datasets in DIR hold, as last written.

    def manifest(self) -> dict | None:
        try:
            return json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def write_manifest(self, manifest: dict) -> None:
        write_bytes_atomic(self.root / MANIFEST, json.dumps(manifest, ensure_ascii=False).encode("utf-8"))

    def drop_manifest(self) -> None:
        (self.root / MANIFEST).unlink(missing_ok=True)


def hashes(paths: list[Path], manifest: dict | None) -> tuple[list[str | None], list[list]]:
    """Each file's sha256, taken from the manifest where its size and mtime are the same as
    then (as git does), else read; and the stat rows for the next manifest."""
    known = {}
    for row in (manifest or {}).get("sources", ()):
        known[row[0]] = row[1:]
    shas: list[str | None] = []
    stats: list[list] = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            shas.append(None)
            continue
        size, mtime = st.st_size, st.st_mtime_ns
        hit = known.get(str(path))
        sha = hit[2] if hit and hit[0] == size and hit[1] == mtime else file_sha256(path)
        shas.append(sha)
        if sha:
            stats.append([str(path), size, mtime, sha])
    return shas, stats
