"""The exceptions smolgraph raises, all rooted in :class:`SmolgraphError`.

::

    SmolgraphError
    ├── ReportError          a report file cannot be read or has bad content
    │   └── RowError         one row (and cell) is wrong
    ├── ValidationError      the graph breaks the SHACL shapes
    ├── StoreError           the store cannot be opened, is busy or is too new
    ├── QueryError           a named query, parameter or SPARQL text is wrong
    ├── UnknownPlaceError    a place name the gazetteer does not know
    └── EndpointError        a remote SPARQL endpoint failed

Every message says what went wrong, where (file, row, cell) and what to do.
"""
from __future__ import annotations

from .i18n import _

__all__ = [
    "SmolgraphError",
    "ReportError",
    "RowError",
    "ValidationError",
    "StoreError",
    "QueryError",
    "UnknownPlaceError",
    "EndpointError",
]


class SmolgraphError(Exception):
    """Base class of every error smolgraph raises on purpose.

    Errors cross process boundaries whole (ingest prepares reports in worker
    processes): the message and the location attributes survive pickling.

    >>> import pickle
    >>> error = pickle.loads(pickle.dumps(RowError("bad date", file="r.docx", row=3, cell="Сроки")))
    >>> str(error), error.row, error.cell
    ("r.docx: row 3, cell 'Сроки': bad date", 3, 'Сроки')
    """

    def __reduce__(self):
        # The subclasses' __init__ take other arguments than self.args.
        return _rebuild, (type(self), self.args, self.__dict__)


def _rebuild(cls: type, args: tuple, state: dict) -> SmolgraphError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ReportError(SmolgraphError):
    """A report file that cannot be read, with the file in the message."""

    def __init__(self, message: str, *, file: str | None = None) -> None:
        self.file = file
        super().__init__(f"{file}: {message}" if file else message)


class RowError(ReportError):
    """A problem in one row (and cell) of a report."""

    def __init__(
        self, message: str, *, file: str | None = None, row: int | str | None = None, cell: str | None = None
    ) -> None:
        self.row = row
        self.cell = cell
        if row is not None and cell:
            located = _("row {row}, cell '{cell}': {message}").format(row=row, cell=cell, message=message)
        elif row is not None:
            located = _("row {row}: {message}").format(row=row, message=message)
        elif cell:
            located = _("cell '{cell}': {message}").format(cell=cell, message=message)
        else:
            located = message
        super().__init__(located, file=file)


class ValidationError(SmolgraphError):
    """The graph does not conform to the shapes; ``report`` holds the details."""

    def __init__(self, message: str, report: object | None = None) -> None:
        self.report = report
        super().__init__(message)


class StoreError(SmolgraphError):
    """The store cannot be opened or written."""


class QueryError(SmolgraphError):
    """A named query is unknown, a parameter is missing, or SPARQL is invalid."""


class UnknownPlaceError(QueryError):
    """A place name that the gazetteer does not know; ``suggestions`` are close names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        if suggestions:
            message = _("unknown place '{name}'. Did you mean: {suggestions}?").format(
                name=name, suggestions=", ".join(suggestions)
            )
        else:
            message = _("unknown place '{name}'.").format(name=name)
        super().__init__(message)


class EndpointError(SmolgraphError):
    """A remote SPARQL endpoint is unreachable or answered with an error."""
