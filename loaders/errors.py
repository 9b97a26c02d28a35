"""Errors a user sees as one line: the file and the reason, never a traceback."""


class DocumentError(Exception):
    """A document that cannot be loaded; ``str()`` is the reason shown to the user."""


class NotADisclosure(DocumentError):
    """Readable text, but not a budget, final-account or performance disclosure."""
