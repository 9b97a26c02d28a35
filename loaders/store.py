"""The output folder as a store: a document parsed once is not parsed again.

Each document that loads is kept in ``DIR/.store/<sha256>-<parser version>.pickle``; the
next build of the same content with the same parser reads it back instead of parsing. The
parser version is a hash of the loaders' own files (code, spec, registry), so any change to
the parsing invalidates every entry without anyone having to remember to bump a number.
A build assembles its datasets from the documents given this time only, so a document no
longer given is dropped, and entries no build used are removed: the result equals a clean
build. The store holds our own pickles, written atomically; nothing else is ever read.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOADERS = Path(__file__).resolve().parent
STORE_DIR = ".store"
# What the parsing depends on: every module and data file of the loaders.
_PARSER_FILES = ("*.py", "*.toml", "*.tsv")


@cache
def parser_version() -> str:
    digest = hashlib.sha256()
    for pattern in _PARSER_FILES:
        for path in sorted(LOADERS.rglob(pattern)):
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(LOADERS)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader will say why, in its own words


@dataclass(frozen=True)
class Store:
    root: Path
    version: str

    @classmethod
    def at(cls, out_dir: Path) -> Store:
        return cls(Path(out_dir) / STORE_DIR, parser_version())

    def entry(self, sha256: str) -> Path:
        return self.root / f"{sha256}-{self.version}.pickle"

    def get(self, path: Path):
        """The document parsed earlier from the same content, or None (read at ``path`` now)."""
        sha = file_sha256(path)
        entry = self.entry(sha) if sha else None
        if entry is None or not entry.exists():
            return None
        try:
            with entry.open("rb") as fh:
                doc = pickle.load(fh)
        except Exception:  # a damaged or foreign entry: parse again, never fail the build
            return None
        doc.source.path = path  # the same content may have moved or been renamed
        return doc

    def put(self, doc) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(doc, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.entry(doc.source.sha256))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def keep_only(self, sha256s: set[str]) -> int:
        """Remove the entries of other contents or other parser versions; how many."""
        if not self.root.exists():
            return 0
        keep = {self.entry(s).name for s in sha256s}
        removed = 0
        for entry in self.root.glob("*.pickle"):
            if entry.name not in keep:
                entry.unlink(missing_ok=True)
                removed += 1
        return removed
