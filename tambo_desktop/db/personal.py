"""Personal values of the audit trail, kept apart so that anonymisation can erase them (issue 15.5).

An audit line never holds a person's document, names, phone, notes or birth date in clear: it holds
a marker ``{pv:TOKEN}`` where the value was, and the value lives in ``audit_value`` under that
token. The token is a keyed digest (HMAC-SHA256 with the installation key, cut to 128 bits) of a
random nonce, the person's uuid and the value, so the chain, which covers the line's text, covers
the digest of each value and not the value itself. Anonymising a person deletes their rows of
``audit_value`` (nonce included: afterwards not even the key's holder can test a guess against the
token), and the chain still verifies. ``check`` recomputes every stored value's token, so a value
changed in the file behind the application's back is seen.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable

import peewee as pw

from tambo_desktop.db import keys
from tambo_desktop.db.models import AuditValue
from tambo_desktop.db.sql import tuples

PURPOSE = "tambo-audit-value-v1"
TOKEN_RE = re.compile(r"\{pv:([0-9a-f]{32})\}")
#: The person's fields whose values go to ``audit_value`` (``name_key``/``search_key`` are never
#: written to the trail; sex, community and language are not identifying by themselves).
PERSONAL_FIELDS = frozenset(
    {"document_number", "first_names", "last_name_1", "last_name_2", "phone", "notes", "birth_date"}
)
#: Lines about a person whose summary is the person's name (or names, for a merge).
NAMED_ACTIONS = frozenset({"create", "update", "delete", "merge"})
#: What an erased value reads as (translated where it is shown).
ERASED = object()


def marker(token: str) -> str:
    return "{pv:" + token + "}"


def token_for(nonce: str, subject: str, text: str, key: bytes | None = None) -> str:
    return keys.tag(PURPOSE, [nonce, subject, text], key)[:32]


def new_value(subject: str, value: object, key: bytes | None = None, rows: list[dict] | None = None) -> str:
    """Keep ``value`` (any JSON value) for the person ``subject``; returns the marker that stands for
    it in an audit line. Written at once (inside the caller's transaction), or added to ``rows``
    for one bulk insert."""
    text = json.dumps(value, ensure_ascii=False)
    nonce = secrets.token_hex(16)
    token = token_for(nonce, subject, text, key)
    row = {"token": token, "subject": subject, "nonce": nonce, "value": text}
    if rows is None:
        AuditValue.insert(row).execute()
    else:
        rows.append(row)
    return marker(token)


def _empty(value: object) -> bool:
    return (
        value is None or value == "" or value == "***" or (isinstance(value, str) and bool(TOKEN_RE.fullmatch(value)))
    )


def protect(
    entity: str,
    action: str,
    record_uuid: str,
    summary: str,
    changes: dict | None,
    key: bytes | None = None,
    rows: list[dict] | None = None,
    subject: str | None = None,
) -> tuple[str, dict | None]:
    """A person's line as the trail keeps it: the summary (the person's name) and the values of
    :data:`PERSONAL_FIELDS` replaced by markers. Other lines are returned as they are."""
    if entity != "person" or action not in NAMED_ACTIONS:
        return summary, changes
    owner = subject or record_uuid
    batch: list[dict] = [] if rows is None else rows  # one INSERT for the line's values
    key = key or keys.installation_key()
    if summary and not TOKEN_RE.search(summary):
        summary = new_value(owner, summary, key, batch)
    if changes:
        changes = {
            name: [v if _empty(v) else new_value(owner, v, key, batch) for v in pair]
            if name in PERSONAL_FIELDS and isinstance(pair, list)
            else pair
            for name, pair in changes.items()
        }
    if rows is None and batch:
        AuditValue.insert_many(batch).execute()
    return summary, changes


def tokens_in(*texts: str) -> set[str]:
    return {t for text in texts if text for t in TOKEN_RE.findall(text)}


def lookup(tokens: Iterable[str]) -> dict[str, object]:
    """The values still kept for ``tokens`` (an erased one is missing)."""
    wanted = sorted(set(tokens))
    found: dict[str, object] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for token, text in tuples(
            AuditValue.select(AuditValue.token, AuditValue.value).where(AuditValue.token.in_(chunk))
        ):
            found[token] = json.loads(text)
    return found


def resolve(value: object, values: dict[str, object], erased: str) -> object:
    """``value`` (a string, or a list/dict of them) with its markers replaced by the values kept,
    or by ``erased`` where the value was erased."""
    if isinstance(value, str):
        whole = TOKEN_RE.fullmatch(value)
        if whole:
            return values.get(whole.group(1), erased)
        return TOKEN_RE.sub(lambda m: str(values.get(m.group(1), erased)), value)
    if isinstance(value, list):
        return [resolve(v, values, erased) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, values, erased) for k, v in value.items()}
    return value


def matching_tokens(word: str, limit: int = 50) -> list[str]:
    """Tokens of the values that hold ``word`` (the audit page's text filter)."""
    query = AuditValue.select(AuditValue.token).where(AuditValue.value.contains(word)).limit(limit)
    return [str(t) for (t,) in tuples(query)]


def erase(subject: str) -> int:
    """Delete every value kept for the person ``subject``; the number deleted."""
    return AuditValue.delete().where(AuditValue.subject == subject).execute()


def reassign(old_subject: str, new_subject: str) -> int:
    """A merge: the removed person's values now belong to the kept person (whose anonymisation erases them)."""
    return AuditValue.update(subject=new_subject).where(AuditValue.subject == old_subject).execute()


def count(subject: str) -> int:
    return AuditValue.select().where(AuditValue.subject == subject).count()


def altered(key: bytes | None = None, limit: int = 50) -> list[str]:
    """The tokens (at most ``limit``) of the stored values whose token no longer matches them
    (changed behind the application's back)."""
    found: list[str] = []
    query = AuditValue.select(AuditValue.token, AuditValue.subject, AuditValue.nonce, AuditValue.value).order_by(
        AuditValue.token
    )
    for token, subject, nonce, text in query.tuples().iterator():
        if key is None:
            key = keys.installation_key()
        if token_for(nonce, subject, text, key) != token:
            found.append(str(token))
            if len(found) >= limit:
                break
    return found


def table_exists(db: pw.Database) -> bool:
    return db.table_exists("audit_value")


# -- scrubbing the database file ----------------------------------------------------------------


class secure_delete:  # noqa: N801 - used as a context manager, like a function
    """``PRAGMA secure_delete=ON`` on this connection while the block runs (SQLite only): what the
    transaction deletes or overwrites is zeroed in its pages instead of left in their free space.
    Python's SQLite on Windows has it OFF by default; Debian's is built with it ON."""

    def __init__(self, db: pw.Database) -> None:
        self.db = db
        self.before: int | None = None

    def __enter__(self) -> secure_delete:
        if isinstance(self.db, pw.SqliteDatabase):
            self.before = int(self.db.execute_sql("PRAGMA secure_delete").fetchone()[0])
            self.db.execute_sql("PRAGMA secure_delete = ON")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.before is not None:
            self.db.execute_sql(f"PRAGMA secure_delete = {int(self.before)}")


def checkpoint(db: pw.Database) -> bool:
    """Fold the WAL into the database file and truncate it to 0 bytes (SQLite), so the old pages
    it held (a person's values before anonymisation) are gone from the disk; False when another
    connection's read kept part of it (the next checkpoint finishes the job)."""
    if not isinstance(db, pw.SqliteDatabase):
        return True
    busy, _log, _done = db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return int(busy) == 0
