"""Errors that services raise, with messages already in the user's language."""

from __future__ import annotations

from dataclasses import dataclass


class TamboError(Exception):
    """Base of the errors a user may see; ``str(error)`` is the translated message."""


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ValidationError(TamboError):
    """One or more fields are wrong; nothing was written."""

    def __init__(self, errors: list[FieldError] | FieldError) -> None:
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        super().__init__("\n".join(e.message for e in self.errors))

    def for_field(self, field: str) -> list[str]:
        return [e.message for e in self.errors if e.field == field]


@dataclass(frozen=True)
class RowError:
    """A bad row of an imported file: ``row N, column: reason``."""

    row: int
    column: str
    reason: str


class ImportFileError(TamboError):
    """An imported file has bad rows (or cannot be read); nothing was imported."""

    def __init__(self, rows: list[RowError], message: str = "") -> None:
        from tambo_desktop.i18n import _

        self.rows = rows
        lines = [message] if message else []
        lines += [_("fila {row}, {column}: {reason}").format(row=r.row, column=r.column, reason=r.reason) for r in rows]
        super().__init__("\n".join(lines))


class PermissionDenied(TamboError):
    """The current user's role may not do this."""


class NotFound(TamboError):
    """The record asked for does not exist (any more)."""


class AuthenticationError(TamboError):
    """Wrong user name or password (the same message for both)."""


class DatabaseError(TamboError):
    """The database cannot be opened or is not in a usable state."""


class DamagedDatabase(DatabaseError):
    """The database file failed its start-up check and was moved aside (never deleted).

    ``moved_to`` is where the damaged file now is; ``newest_backup`` is the newest verified
    backup (a ``BackupInfo``) that can be restored, or ``None``.
    """

    def __init__(self, message: str, moved_to, newest_backup=None) -> None:
        super().__init__(message)
        self.moved_to = moved_to
        self.newest_backup = newest_backup


@dataclass(frozen=True)
class Difference:
    """One field of a record as another user saved it (``theirs``) and as this user typed it."""

    field: str
    label: str
    theirs: str
    yours: str


class StaleRecord(TamboError):
    """The record was saved by someone else after this user read it: nothing was written.

    ``changed_by``/``changed_at`` say who and when (already for display), ``differences`` their
    values beside this user's, and ``current_version`` is the version to save on top of theirs."""

    def __init__(self, message: str, changed_by: str, changed_at: str, differences: list[Difference],
                 current_version: int) -> None:  # fmt: skip
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.differences = differences
        self.current_version = current_version
