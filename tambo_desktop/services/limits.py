"""Nothing cut silently by a field's length limit (issue 14, part 7): a text longer than its column
is refused with a message that says so, instead of being stored shortened."""

from __future__ import annotations

from tambo_desktop.errors import FieldError, ValidationError
from tambo_desktop.i18n import ngettext


def too_long(value: str, limit: int, field: str) -> FieldError | None:
    """The error for ``value`` when it is longer than ``limit`` characters (None when it fits)."""
    if len(value) <= limit:
        return None
    return FieldError(
        field,
        ngettext(
            "Admite como máximo {n} carácter; tiene {length}.",
            "Admite como máximo {n} caracteres; tiene {length}.",
            limit,
        ).format(n=limit, length=len(value)),
    )


def within(value: str, limit: int, field: str) -> str:
    """``value`` unchanged when it fits, else a ValidationError on ``field`` (nothing is cut)."""
    error = too_long(value, limit, field)
    if error is not None:
        raise ValidationError(error)
    return value
