"""Errors a user sees as one line: the file and the reason, never a traceback."""


class DocumentError(Exception):
    """A document that cannot be loaded; ``str()`` is the reason shown to the user."""


class NotADisclosure(DocumentError):
    """Readable text, but not a budget, final-account or performance disclosure."""


class ClusterError(Exception):
    """The Dask cluster cannot be reached or used; ``str()`` is the reason shown to the user."""


def failure_reason(exc: Exception) -> str:
    """The one line a failed document gets: its own reason, or a parser bug named as one."""
    if isinstance(exc, DocumentError):
        return str(exc)
    return f"internal parser error ({type(exc).__name__}: {exc})"  # a parser bug costs one document
