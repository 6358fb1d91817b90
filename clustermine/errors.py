"""One exception family for the whole package.

Every message names the thing, the value received and what the user can do about it, because the people
reading them are researchers running a batch, not programmers reading a traceback.
"""

from __future__ import annotations


class ClustermineError(Exception):
    """Base class of all errors clustermine raises on purpose."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UnreadableError(ClustermineError, ValueError):
    """A single input file cannot be turned into text. The batch goes on without it."""


class UnsupportedFormatError(UnreadableError):
    """The file's content is of a kind no reader handles."""


class EmptyDocumentError(UnreadableError):
    """The file is empty or holds no text at all."""


class NoTextLayerError(UnreadableError):
    """A PDF whose pages are images only (a scan without OCR text)."""


class EncryptedError(UnreadableError):
    """A PDF that cannot be opened without a password."""


class ExtractionTimeoutError(UnreadableError, TimeoutError):
    """Extraction of one file took longer than the per-file limit."""


class CorpusError(ClustermineError):
    """The corpus store is missing, damaged, from a newer version, or busy."""


class CorpusBusyError(CorpusError):
    """Another clustermine process is writing to the same corpus."""


class NotFoundError(ClustermineError, KeyError):
    """A document id (or prefix) that matches nothing in the corpus."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return ClustermineError.__str__(self)


class BadDateError(ClustermineError, ValueError):
    """A date given by the user that is not YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY."""


class BadQueryError(ClustermineError, ValueError):
    """A search query that cannot be parsed (unbalanced quotes, unknown field, bad range)."""
