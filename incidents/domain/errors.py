"""Named failures of the incidents package; pages catch :class:`IncidentsError` and show its message."""

from __future__ import annotations


class IncidentsError(Exception):
    """Base class of every failure the package reports to a user."""


class UnknownCodeError(IncidentsError, ValueError):
    """A value is not in one of the closed vocabularies (actor, event type, grading, ...)."""


class ValidationError(IncidentsError, ValueError):
    """A record or an imported row breaks the rules of the incident record."""


class ImportRejected(IncidentsError):
    """An import found invalid rows and wrote nothing; ``errors`` lists every one of them."""

    def __init__(self, errors: list, total_rows: int) -> None:
        self.errors = errors
        self.total_rows = total_rows
        super().__init__(
            f"{len(errors)} problem(s) in {total_rows} row(s); nothing was written. "
            "Fix the rows below, or use --skip-invalid to write the valid rows and set the rejected ones aside."
        )


class FileFormatError(IncidentsError):
    """A file cannot be read as the format asked for (encoding, structure, missing columns)."""


class NotFound(IncidentsError, LookupError):
    """No incident, claim, place or user has the id asked for."""


class PermissionDenied(IncidentsError, PermissionError):
    """The acting user's role does not allow this action."""


class ConflictError(IncidentsError):
    """Somebody else changed the record since it was read (optimistic locking); nothing was overwritten."""

    def __init__(self, message: str, current: dict | None = None, changed_by: str | None = None) -> None:
        self.current = current or {}
        self.changed_by = changed_by
        super().__init__(message)


class AuthError(IncidentsError):
    """Sign-in failed: unknown user, wrong password, disabled or locked account."""
