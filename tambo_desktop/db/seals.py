"""Keyed fingerprints of the rows that hold people's data (issue 15.4): changes made to them behind
the application's back, with any SQLite tool on the file, are seen by ``check``.

Every row of :data:`TABLES` has a seal in ``row_seal``: an HMAC-SHA256 (cut to 128 bits) with the
installation key over the table's name and every column of the row (by name; NULL columns left
out, so a column added later with no value does not change it). Each table also has a keyed total
in ``seal_total``: how many seals it has and the XOR of a second HMAC of each seal, so a row
deleted together with its seal is seen too, and someone holding only the file cannot make the total
agree again (they would need the key).

The seals are written by SQLite itself, in the statement that writes the row, so in its transaction
and on every path of the application (a form's save, an import's bulk insert, an ``UPDATE`` of many
rows, a cascade): the application's own connections carry TEMP triggers, which live in the
connection and never in the file, and which call the keyed function registered on the connection.
A connection without them — the ``sqlite3`` tool, a Python script, DB Browser — writes the row
without a new seal, and ``check`` names the table and how many of its rows no longer match.

SQLite only: a PostgreSQL server's rows are guarded by the server's own accounts and permissions
(docs/SECURITY.md).
"""

from __future__ import annotations

import hmac
import logging
import sqlite3
from dataclasses import dataclass

from tambo_desktop.db import keys

log = logging.getLogger(__name__)

PURPOSE = b"tambo-row-seal-v1"
TOTAL_PURPOSE = b"tambo-row-total-v1"
#: The tables that hold people's data: participants, their atenciones and enrolments, the
#: communities' leaders, the staff's accounts (roles, password hashes) and their days.
TABLES = ("person", "attention", "enrollment", "leader", "user", "staff_day")
SEAL_TABLE = "row_seal"
TOTAL_TABLE = "seal_total"
#: Tables of a SQLite file only: a move to a PostgreSQL server leaves them behind (the server's rows
#: are guarded by its accounts).
SQLITE_ONLY = (SEAL_TABLE, TOTAL_TABLE)
_SEAL_BYTES = 16
_PREFIX = PURPOSE + b"\x00"


def create_tables(execute) -> None:
    """The two tables (migration 22); ``execute`` runs one SQL statement."""
    execute(
        f'CREATE TABLE IF NOT EXISTS "{SEAL_TABLE}" ("tbl" TEXT NOT NULL, "row_id" INTEGER NOT NULL, '
        '"fp" BLOB NOT NULL, PRIMARY KEY ("tbl", "row_id")) WITHOUT ROWID'
    )
    execute(
        f'CREATE TABLE IF NOT EXISTS "{TOTAL_TABLE}" ("tbl" TEXT NOT NULL PRIMARY KEY, '
        '"n" INTEGER NOT NULL DEFAULT 0, "acc" BLOB)'
    )


def _encoded(value: object) -> str:
    """One column's value, typed and length-prefixed (no value can pass for another column's)."""
    if isinstance(value, str):
        return f"s{len(value)}:{value}"
    if isinstance(value, bytes):
        return f"b{len(value)}:{value.hex()}"
    return f"{type(value).__name__[0]}{value!r}"  # int, float: their exact repr


def seal(key: bytes, table: str, columns: tuple[str, ...], values: tuple) -> bytes:
    """The seal of one row: ``columns`` and ``values`` in the table's order (NULLs left out): the
    HMAC of ``table``, then each column's name and its :func:`_encoded` value, all joined by NUL."""
    parts = [table]
    for name, value in zip(columns, values, strict=True):
        if value is None:
            continue
        kind = type(value)
        if kind is str:  # the common cases written out: the same text as _encoded's, faster
            parts.append(f"{name}\x00s{len(value)}:{value}")
        elif kind is int:
            parts.append(f"{name}\x00i{value}")
        else:
            parts.append(f"{name}\x00{_encoded(value)}")
    return hmac.digest(key, _PREFIX + "\x00".join(parts).encode("utf-8", "surrogatepass"), "sha256")[:_SEAL_BYTES]


def mix(key: bytes, acc: bytes | None, fp: bytes | None) -> bytes | None:
    """``acc`` with the seal ``fp`` added (or taken out: XOR is its own inverse), under the key."""
    if fp is None:
        return acc
    part = hmac.digest(key, TOTAL_PURPOSE + b"\x00" + bytes(fp), "sha256")[:_SEAL_BYTES]
    base = int.from_bytes(acc, "big") if acc else 0
    return (base ^ int.from_bytes(part, "big")).to_bytes(_SEAL_BYTES, "big")


def _columns(conn: sqlite3.Connection, table: str) -> tuple[str, ...]:
    return tuple(str(row[1]) for row in conn.execute(f'PRAGMA main.table_info("{table}")'))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _Functions:
    """The SQL functions of one connection: ``tambo_seal(table, col1, …)`` and ``tambo_mix(acc, fp)``.
    The key is read once, at the connection's first seal (reading it costs more than a seal)."""

    def __init__(self) -> None:
        self.columns: dict[str, tuple[str, ...]] = {}
        self.key: bytes | None = None

    def _key(self) -> bytes:
        if self.key is None:
            self.key = keys.installation_key()
        return self.key

    def seal(self, table: str, *values: object) -> bytes:
        return seal(self._key(), table, self.columns[table], values)

    def mix(self, acc: bytes | None, fp: bytes | None) -> bytes | None:
        return mix(self._key(), acc, fp)


def _triggers(table: str, columns: tuple[str, ...]) -> list[str]:
    t = table.replace("'", "''")
    new = ", ".join(f"NEW.{_quote(c)}" for c in columns)
    old_seal = f"(SELECT fp FROM {SEAL_TABLE} WHERE tbl = '{t}' AND row_id = OLD.id)"
    new_seal = f"(SELECT fp FROM {SEAL_TABLE} WHERE tbl = '{t}' AND row_id = NEW.id)"
    take_out = (
        f"UPDATE {TOTAL_TABLE} SET n = n - (SELECT COUNT(*) FROM {SEAL_TABLE} WHERE tbl = '{t}' AND row_id = OLD.id), "
        f"acc = tambo_mix(acc, {old_seal}) WHERE tbl = '{t}'; "
        f"DELETE FROM {SEAL_TABLE} WHERE tbl = '{t}' AND row_id = OLD.id;"
    )
    put_in = (
        f"INSERT OR REPLACE INTO {SEAL_TABLE} (tbl, row_id, fp) VALUES ('{t}', NEW.id, tambo_seal('{t}', {new})); "
        f"UPDATE {TOTAL_TABLE} SET n = n + 1, acc = tambo_mix(acc, {new_seal}) WHERE tbl = '{t}';"
    )
    on = f"ON main.{_quote(table)}"
    old = ", ".join(f"OLD.{_quote(c)}" for c in columns)
    # a row changed behind the application's back is not sealed anew when the application saves it
    # later: it stays reported (its old seal kept) until an administrator reseals (check --reseal)
    sound = f"WHEN {old_seal} IS tambo_seal('{t}', {old})"
    return [
        f"CREATE TEMP TRIGGER IF NOT EXISTS tambo_seal_{table}_i AFTER INSERT {on} BEGIN {put_in} END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS tambo_seal_{table}_u AFTER UPDATE {on} {sound} BEGIN {take_out} {put_in} END",
        f"CREATE TEMP TRIGGER IF NOT EXISTS tambo_seal_{table}_d AFTER DELETE {on} BEGIN {take_out} END",
    ]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
        is not None
    )


def attach(conn: sqlite3.Connection) -> bool:
    """Give one of the application's connections the keyed functions and, when the database has
    its seals (schema 22 on), the TEMP triggers that keep them. True when the triggers are on."""
    functions = _Functions()
    conn.create_function("tambo_seal", -1, functions.seal)
    conn.create_function("tambo_mix", 2, functions.mix)
    try:
        if not _has_table(conn, SEAL_TABLE):
            return False
        for table in TABLES:
            columns = _columns(conn, table)
            if not columns:
                continue
            functions.columns[table] = columns
            for statement in (f"DROP TRIGGER IF EXISTS temp.tambo_seal_{table}_{k}" for k in "iud"):
                conn.execute(statement)
            for statement in _triggers(table, columns):
                conn.execute(statement)
    except sqlite3.Error:  # a damaged file: the start-up check moves it aside
        log.warning("the row seals could not be set up on this connection", exc_info=True)
        return False
    return True


def seal_all(conn: sqlite3.Connection, key: bytes | None = None) -> dict[str, int]:
    """Seal every row of :data:`TABLES` as it is now and set the totals (migration 22's backfill,
    in the caller's transaction); the rows sealed per table."""
    key = key or keys.installation_key()
    done: dict[str, int] = {}
    for table in TABLES:
        columns = _columns(conn, table)
        if not columns:
            continue
        conn.execute(f"DELETE FROM {SEAL_TABLE} WHERE tbl = ?", (table,))
        acc: bytes | None = None
        n = 0
        cursor = conn.execute(f"SELECT {', '.join(_quote(c) for c in columns)} FROM {_quote(table)}")
        id_at = columns.index("id")
        while True:
            chunk = cursor.fetchmany(2000)
            if not chunk:
                break
            rows = []
            for values in chunk:
                fp = seal(key, table, columns, tuple(values))
                acc = mix(key, acc, fp)
                rows.append((table, values[id_at], fp))
            conn.executemany(f"INSERT INTO {SEAL_TABLE} (tbl, row_id, fp) VALUES (?, ?, ?)", rows)
            n += len(rows)
        conn.execute(f"INSERT OR REPLACE INTO {TOTAL_TABLE} (tbl, n, acc) VALUES (?, ?, ?)", (table, n, acc))
        done[table] = n
    return done


@dataclass(frozen=True)
class TableCheck:
    """What ``check`` found in one table (counts only: never the rows' values)."""

    table: str
    rows: int
    changed: int  # the row does not match its seal
    unsealed: int  # a row without a seal (inserted behind the application's back)
    orphaned: int  # a seal without its row (the row deleted behind the application's back)
    total_ok: bool  # the keyed total agrees with the seals (a row deleted with its seal breaks it)
    missing_seals: int  # seals the keyed total counted that are gone (negative: more seals than it counted)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.unsealed or self.orphaned) and self.total_ok


def verify(conn: sqlite3.Connection, key: bytes | None = None) -> list[TableCheck] | None:
    """Recompute every seal and total; ``None`` when the database has no seals (before schema 22)."""
    if not _has_table(conn, SEAL_TABLE):
        return None
    key = key or keys.installation_key()
    found: list[TableCheck] = []
    for table in TABLES:
        columns = _columns(conn, table)
        if not columns:
            continue
        t = _quote(table)
        changed = unsealed = rows = 0
        cursor = conn.execute(
            f"SELECT s.fp, {', '.join('r.' + _quote(c) for c in columns)} FROM {t} AS r "
            f"LEFT JOIN {SEAL_TABLE} AS s ON s.tbl = ? AND s.row_id = r.id",
            (table,),
        )
        while True:
            chunk = cursor.fetchmany(2000)
            if not chunk:
                break
            for fp, *values in chunk:
                rows += 1
                if fp is None:
                    unsealed += 1
                elif not hmac.compare_digest(bytes(fp), seal(key, table, columns, tuple(values))):
                    changed += 1
        orphaned = conn.execute(
            f"SELECT COUNT(*) FROM {SEAL_TABLE} AS s WHERE s.tbl = ? AND NOT EXISTS "
            f"(SELECT 1 FROM {t} AS r WHERE r.id = s.row_id)",
            (table,),
        ).fetchone()[0]
        acc: bytes | None = None
        sealed = 0
        for (fp,) in conn.execute(f"SELECT fp FROM {SEAL_TABLE} WHERE tbl = ?", (table,)):
            acc = mix(key, acc, fp)
            sealed += 1
        total = conn.execute(f"SELECT n, acc FROM {TOTAL_TABLE} WHERE tbl = ?", (table,)).fetchone()
        n, recorded = (int(total[0]), total[1]) if total else (0, None)
        zero = bytes(_SEAL_BYTES)
        total_ok = total is not None and n == sealed and bytes(recorded or zero) == bytes(acc or zero)
        found.append(TableCheck(table, rows, changed, unsealed, int(orphaned), total_ok, n - sealed))
    return found
