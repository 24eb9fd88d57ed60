"""BudgetQA's errors. Each carries a message a person can act on; the CLI and UI print it as one line."""


class BudgetQAError(Exception):
    """Base class: the message says what is wrong and what to do."""


class InputError(BudgetQAError):
    """The file given cannot be read as a budget document (scanned, encrypted, broken, empty, not a budget)."""


class StoreError(BudgetQAError):
    """The store cannot be used as it is (version mismatch, locked, corrupt)."""


class NotFound(BudgetQAError):
    """A document, table or fact asked for is not in the store."""


class IdClash(InputError):
    """The document id asked for already names a different stored document; `existing` is that Document.
    Raised by `index.ingest.ingest(..., replace=False)`; pass `replace=True` to replace it."""

    def __init__(self, message: str, existing):
        super().__init__(message)
        self.existing = existing


class VectorIndexError(StoreError):
    """The Chroma folder is missing, damaged or unwritable; table answers still work, `budgetqa reindex`
    rebuilds the vectors from SQLite."""


class AmbiguousDocument(NotFound):
    """A question (without --doc) fits several stored documents equally well; `candidates` are their ids."""

    def __init__(self, message: str, candidates: tuple[str, ...] = ()):
        super().__init__(message)
        self.candidates = tuple(candidates)
