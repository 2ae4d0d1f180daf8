"""SQL expressions that read the same on SQLite and PostgreSQL (dates as integers and keys)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import peewee as pw

from tambo_desktop.db.connection import current_database


def is_postgres() -> bool:
    return isinstance(current_database(), pw.PostgresqlDatabase)


def day_number(expr: pw.Node) -> pw.ColumnBase:
    """A date or datetime as the integer YYYYMMDD (so whole years are differences // 10000)."""
    if is_postgres():
        return pw.Cast(pw.fn.to_char(expr, "YYYYMMDD"), "INTEGER")
    return pw.Cast(pw.fn.strftime("%Y%m%d", expr), "INTEGER")


def month_key(expr: pw.Node) -> pw.ColumnBase:
    """A date or datetime as the text ``YYYY-MM``."""
    if is_postgres():
        return pw.fn.to_char(expr, "YYYY-MM")
    return pw.fn.strftime("%Y-%m", expr)


def tuples(query: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of ``query`` as plain tuples (typed as such: peewee's stubs type every row as a model)."""
    return iter(query.tuples())
