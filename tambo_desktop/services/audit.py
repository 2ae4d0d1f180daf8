"""The audit trail: an append-only, hash-chained record of who did what.

Every change of business data goes through :meth:`Session.save` / :meth:`Session.delete`,
which call :func:`append` in the same transaction as the change. Each entry's hash covers
its content and the previous entry's hash, so editing or deleting a row outside the
application breaks the chain, and ``check`` reports it.
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import cast

import peewee as pw

from tambo_desktop import dates, paths
from tambo_desktop.db import keys, personal
from tambo_desktop.db.connection import after_commit, current_database
from tambo_desktop.db.models import AuditEntry, BaseModel, new_uuid, utcnow
from tambo_desktop.db.sql import tuples
from tambo_desktop.formats.tabular import write_table
from tambo_desktop.i18n import N_, NP_, _, ngettext, pgettext
from tambo_desktop.services.audit_words import ChangeLine, describe

log = logging.getLogger(__name__)

GENESIS = "0" * 64
#: The hash scheme of new lines: HMAC-SHA256 with the installation key over every column.
SCHEME = 2
CHAIN_PURPOSE = "tambo-audit-line-v2"
#: The seal of a line whose personal values migration 18 moved to ``audit_value``.
SEAL_PURPOSE = "tambo-audit-seal-v1"
ANCHOR_PURPOSE = "tambo-audit-anchor-v1"
#: Never written to the trail in clear: only "changed".
SECRET_FIELDS = {"password_hash"}
#: Bookkeeping fields that change on every save and say nothing by themselves.
QUIET_FIELDS = {
    "uuid",
    "tambo_code",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "name_key",
    "search_key",
    "failed_logins",
    "last_login_at",
    "version",
}

ACTIONS = {
    "create": N_("Creación"),
    "update": N_("Modificación"),
    "delete": N_("Eliminación"),
    "import": N_("Importación"),
    "export": N_("Exportación"),
    "login": N_("Inicio de sesión"),
    "login_failed": N_("Inicio de sesión fallido"),
    "lockout": N_("Cuenta bloqueada"),
    "unlock": N_("Cuenta desbloqueada"),
    "backup": N_("Copia de seguridad"),
    "restore": N_("Restauración"),
    "settings": N_("Ajustes"),
    "merge": N_("Fusión"),
    "anonymize": N_("Anonimización"),
}
#: msgctxt of the record types below (written out in each NP_ call for the extractor): a record
#: type is not a label of another role ("Tambo" the record vs "Tambo" the entity).
RECORD_TYPE = "record type"
ENTITIES = {
    "tambo": NP_("record type", "Tambo"),
    "user": NP_("record type", "Cuenta"),
    "community": NP_("record type", "Centro poblado"),
    "leader": NP_("record type", "Dirigente"),
    "audit_entry": NP_("record type", "Auditoría"),
    "database": NP_("record type", "Base de datos"),
    "setting": NP_("record type", "Ajuste"),
    "person": NP_("record type", "Participante"),
    "attention": NP_("record type", "Atención"),
    "monthly_goal": NP_("record type", "Meta mensual"),
    "space": NP_("record type", "Espacio"),
    "resource": NP_("record type", "Recurso"),
    "intervention": NP_("record type", "Intervención"),
    "monthly_plan": NP_("record type", "Plan de trabajo mensual"),
    "course": NP_("record type", "Capacitación"),
    "course_session": NP_("record type", "Sesión de capacitación"),
    "enrollment": NP_("record type", "Participante de una capacitación"),
    "vehicle": NP_("record type", "Vehículo"),
    "fuel_allocation": NP_("record type", "Asignación de combustible"),
    "trip": NP_("record type", "Viaje de campo"),
    "staff_day": NP_("record type", "Día del personal"),
    "staff_leave": NP_("record type", "Licencia o feriado del personal"),
    "diagnostic": NP_("record type", "Diagnóstico"),
    "need_rule": NP_("record type", "Regla de servicios"),
    "intervention_event": NP_("record type", "Historial de una intervención"),
    "plan_event": NP_("record type", "Historial de un plan de trabajo"),
    "campaign": NP_("record type", "Campaña"),
    "campaign_task": NP_("record type", "Tarea de campaña"),
    "campaign_document": NP_("record type", "Documento de campaña"),
    "letter": NP_("record type", "Oficio"),
    "entity_logo": NP_("record type", "Logotipo de una entidad"),
    "report": NP_("record type", "Informe mensual"),
    "ship": NP_("record type", "Barco de la PIAS"),
    "voyage": NP_("record type", "Travesía"),
    "voyage_stop": NP_("record type", "Parada de una travesía"),
    "voyage_entity": NP_("record type", "Entidad a bordo"),
    "voyage_event": NP_("record type", "Historial de una travesía"),
    "package": NP_("record type", "Paquete para la oficina central"),
}


def record_label(code: str | None) -> str:
    """The translated name of a record type (``tambo``, ``person``...), the code when unknown."""
    if not code:
        return ""
    return pgettext(RECORD_TYPE, ENTITIES[code]) if code in ENTITIES else code


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):  # a photo: its size and fingerprint, not its bytes
        data = bytes(value)
        return f"{len(data)} B sha256:{hashlib.sha256(data).hexdigest()[:16]}"
    return value


def snapshot(record: BaseModel) -> dict[str, object]:
    """Field values of a record as plain JSON values (foreign keys as their ids)."""
    return {name: _plain(value) for name, value in record.__data__.items()}


def diff(old: dict[str, object], new: dict[str, object]) -> dict[str, list[object]]:
    """``{field: [old, new]}`` for the fields that changed (secrets only say they changed)."""
    changes: dict[str, list[object]] = {}
    for name in sorted(set(old) | set(new)):
        if name in QUIET_FIELDS or name == "id":
            continue
        before, after = old.get(name), new.get(name)
        if before != after and not (before in (None, "") and after in (None, "")):
            changes[name] = ["***", "***"] if name in SECRET_FIELDS else [before, after]
    return changes


def _digest(
    prev_hash: str,
    at: dt.datetime,
    username: str,
    action: str,
    entity: str,
    record_uuid: str,
    summary: str,
    changes: str,
) -> str:
    payload = json.dumps(
        [prev_hash, at.strftime("%Y-%m-%dT%H:%M:%S"), username, action, entity, record_uuid, summary, changes],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _keyed_digest(
    key: bytes,
    entry_id: int,
    uuid: str,
    tambo_code: str,
    at: dt.datetime,
    username: str,
    action: str,
    entity: str,
    record_uuid: str,
    summary: str,
    changes: str,
    prev_hash: str,
) -> str:
    """Scheme 2: every column of the line (its id too) under the installation key, so that someone
    holding only the database file can neither edit a line nor recompute the chain after a cut."""
    fields = [
        entry_id,
        uuid,
        tambo_code,
        at.isoformat(),
        username,
        action,
        entity,
        record_uuid,
        summary,
        changes,
        prev_hash,
        SCHEME,
    ]
    return keys.tag(CHAIN_PURPOSE, fields, key)


def _next_id(db: pw.Database, last_id: int) -> int:
    """The id the new line gets: never one used before, even after a cut (AUTOINCREMENT's sequence)."""
    if isinstance(db, pw.PostgresqlDatabase):
        row = db.execute_sql("SELECT nextval(pg_get_serial_sequence('audit_entry', 'id'))").fetchone()
        return int(row[0])
    row = db.execute_sql("SELECT seq FROM sqlite_sequence WHERE name = 'audit_entry'").fetchone()
    return max(int(row[0]) if row else 0, last_id) + 1


def append(
    tambo_code: str,
    username: str,
    action: str,
    entity: str,
    record_uuid: str = "",
    summary: str = "",
    changes: dict | None = None,
) -> AuditEntry:
    """Write one entry at the end of the chain (call inside the change's write transaction).

    A person's values (:data:`personal.PERSONAL_FIELDS`, and the summary, which is their name) are
    kept in ``audit_value`` and the line holds their tokens, so that anonymisation can erase them."""
    db = current_database()
    summary, changes = personal.protect(entity, action, record_uuid, summary, changes)
    if isinstance(db, pw.PostgresqlDatabase):
        db.execute_sql("SELECT pg_advisory_xact_lock(727202)")  # one chain head at a time
    last = AuditEntry.select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).first()
    prev_hash = last.hash if last else GENESIS
    at = utcnow()
    text = json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str) if changes else ""
    summary = summary[:300]
    username = username[:60]
    entry_id = _next_id(db, last.id if last else 0)
    uuid = new_uuid()
    digest = _keyed_digest(
        keys.installation_key(),
        entry_id,
        uuid,
        tambo_code,
        at,
        username,
        action,
        entity,
        record_uuid,
        summary,
        text,
        prev_hash,
    )
    entry = AuditEntry.create(
        id=entry_id,
        uuid=uuid,
        tambo_code=tambo_code,
        at=at,
        username=username,
        action=action,
        entity=entity,
        record_uuid=record_uuid,
        summary=summary,
        changes=text,
        prev_hash=prev_hash,
        hash=digest,
        scheme=SCHEME,
    )
    after_commit(_refresh_anchor)
    return entry


# -- the anchor: the chain's head, kept outside the table ---------------------------------------


def anchor_file() -> Path:
    """Beside a SQLite file (``.tambo.db.anchor``); for a server, in the data folder, one per database."""
    db = current_database()
    if isinstance(db, pw.SqliteDatabase) and db.database != ":memory:":
        path = Path(db.database)
        return path.with_name(f".{path.name}.anchor")
    name = hashlib.sha256(f"{getattr(db, 'connect_params', {}).get('host', '')}/{db.database}".encode()).hexdigest()[
        :12
    ]
    return paths.home() / f".audit-anchor-{name}"


def _refresh_anchor() -> None:
    """After a commit that wrote audit lines: record the chain's head (id and hash) in the anchor
    file, tagged with the installation key. No fsync: an anchor older than the database after a
    power cut says less, never something false; one newer than the database (its WAL lost) is what
    ``check`` must see."""
    db = current_database()
    if isinstance(db, pw.SqliteDatabase) and db.database == ":memory:":
        return
    head = AuditEntry.select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).first()
    if head is None:
        return
    body = {"head_id": head.id, "head_hash": head.hash}
    data = {**body, "tag": keys.tag(ANCHOR_PURPOSE, body)}
    target = anchor_file()
    tmp = target.with_name(
        f"{target.name}.{os.getpid()}-{threading.get_ident()}.tmp"
    )  # one per writer: no interleaving
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        json.dump(data, stream)
    os.replace(tmp, target)


@dataclass(frozen=True)
class AnchorCheck:
    ok: bool
    detail: str


def check_anchor() -> AnchorCheck:
    """Does the chain still reach the head the anchor recorded? A cut tail, a rewritten head or
    a lost WAL (saves the anchor saw that the database no longer holds) fail."""
    path = anchor_file()
    has_keyed = AuditEntry.select().where(AuditEntry.scheme >= SCHEME).exists()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        body = {"head_id": int(data["head_id"]), "head_hash": str(data["head_hash"])}
        sound = keys.matches(data.get("tag", ""), ANCHOR_PURPOSE, body)
    except FileNotFoundError:
        if has_keyed:
            return AnchorCheck(
                False,
                _("falta el ancla de la auditoría {file}: no se puede ver si se cortó su final").format(file=path.name),
            )
        return AnchorCheck(True, _("todavía sin ancla"))
    except (OSError, ValueError, KeyError, TypeError):
        return AnchorCheck(False, _("el ancla de la auditoría {file} no se puede leer").format(file=path.name))
    if not sound:
        return AnchorCheck(
            False, _("el ancla de la auditoría {file} no tiene la firma de esta instalación").format(file=path.name)
        )
    head = AuditEntry.get_or_none(AuditEntry.id == body["head_id"])
    if head is None:
        last = AuditEntry.select(pw.fn.MAX(AuditEntry.id)).scalar() or 0
        return AnchorCheck(
            False,
            _(
                "faltan líneas: la auditoría llega hasta la {last}, el ancla vio hasta la {head} (se cortó o se perdió su final)"
            ).format(last=last, head=body["head_id"]),
        )
    if head.hash != body["head_hash"]:
        return AnchorCheck(
            False, _("la línea {id} no es la que vio el ancla (se reescribió)").format(id=body["head_id"])
        )
    return AnchorCheck(True, _("llega hasta la línea {id} o más allá").format(id=body["head_id"]))


def check_backup_anchors(folder: Path | None = None) -> AnchorCheck:
    """Does the live chain still hold what each of this installation's backups recorded of it (the
    head's id and hash, the count of lines, under the manifest's tag)? A chain shorter than a
    backup saw, or a head a backup saw that the chain no longer holds, fails. Backups of another
    chain (another database) are not compared, nor those made before the last restore (the restore
    undid what came after them)."""
    from tambo_desktop.db import backups

    if folder is None and isinstance(current_database(), pw.PostgresqlDatabase):
        return AnchorCheck(True, _("un servidor PostgreSQL guarda sus copias con sus propias herramientas"))
    recorded = backups.recorded_anchors(folder)
    first = AuditEntry.select(AuditEntry.hash).order_by(AuditEntry.id).first()
    live_first = first.hash if first else ""
    live_count = AuditEntry.select().count()
    live_last = AuditEntry.select(pw.fn.MAX(AuditEntry.id)).scalar() or 0
    restored = AuditEntry.select(pw.fn.MAX(AuditEntry.at)).where(AuditEntry.action == "restore").scalar()
    if isinstance(restored, str):
        restored = dt.datetime.fromisoformat(restored)
    problems: list[str] = []
    compared = 0
    for anchor in recorded:
        if live_first and anchor.first_hash != live_first:
            continue  # another database's chain
        if restored is not None and anchor.created_at <= restored:
            continue
        compared += 1
        if anchor.head_id <= 0:
            continue
        head = AuditEntry.get_or_none(AuditEntry.id == anchor.head_id)
        if head is None:
            problems.append(
                _(
                    "la copia {file} vio {count} líneas hasta la {head}; la auditoría tiene {live} y llega hasta la {last} (se cortó su final)"
                ).format(file=anchor.file, count=anchor.count, head=anchor.head_id, live=live_count, last=live_last)
            )
        elif head.hash != anchor.head_hash:
            problems.append(
                _("la línea {id} no es la que vio la copia {file} (se reescribió)").format(
                    id=anchor.head_id, file=anchor.file
                )
            )
        elif live_count < anchor.count:
            problems.append(
                _("la copia {file} vio {count} líneas; la auditoría tiene {live} (se borraron líneas)").format(
                    file=anchor.file, count=anchor.count, live=live_count
                )
            )
    if problems:
        more = len(problems) - 3
        text = "; ".join(problems[:3])
        if more > 0:
            text += " " + ngettext("(y {n} copia más)", "(y {n} copias más)", more).format(n=more)
        return AnchorCheck(False, text)
    if not compared:
        return AnchorCheck(True, _("ninguna copia de esta instalación que comparar"))
    return AnchorCheck(
        True,
        ngettext("coincide con {n} copia de seguridad", "coincide con {n} copias de seguridad", compared).format(
            n=compared
        ),
    )


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    first_bad_id: int | None = None


#: The columns :func:`verify_rows` reads, in order.
CHAIN_COLUMNS = (
    "id",
    "uuid",
    "tambo_code",
    "at",
    "username",
    "action",
    "entity",
    "record_uuid",
    "summary",
    "changes",
    "prev_hash",
    "hash",
    "scheme",
    "seal",
)


def seal_for(
    key: bytes,
    entry_id: int,
    uuid: str,
    tambo_code: str,
    at: dt.datetime,
    username: str,
    action: str,
    entity: str,
    record_uuid: str,
    summary: str,
    changes: str,
    prev_hash: str,
    hash_: str,
    scheme: int,
) -> str:
    """The seal of a line rewritten by migration 18 (its values moved out): every column as it is
    now, and the original hash, which the chain's next line links to and which can no longer be
    recomputed. The same function, frozen, is in db/migrations.py."""
    fields = [
        entry_id,
        uuid,
        tambo_code,
        at.isoformat(),
        username,
        action,
        entity,
        record_uuid,
        summary,
        changes,
        prev_hash,
        hash_,
        scheme,
    ]
    return keys.tag(SEAL_PURPOSE, fields, key)


def verify_rows(rows: Iterable[tuple], key: bytes | None = None) -> ChainCheck:
    """Recompute every hash of ``rows`` (:data:`CHAIN_COLUMNS`, in id order); the first entry that
    does not match breaks the chain. Lines of scheme 1 (unkeyed, written before the keyed chain)
    are accepted only before the first keyed line. ``at`` may be a datetime or SQLite's text of one.
    A line with a seal (its personal values moved out by migration 18) is checked by its seal,
    which covers the line as it is now and the hash the next line links to."""
    prev = GENESIS
    count = 0
    keyed = False
    for row in rows:
        (
            entry_id,
            uuid,
            tambo_code,
            at,
            username,
            action,
            entity,
            record_uuid,
            summary,
            changes,
            prev_hash,
            hash_,
            scheme,
        ) = row[:13]
        seal = row[13] if len(row) > 13 else ""
        count += 1
        if isinstance(at, str):
            try:
                at = dt.datetime.fromisoformat(at)
            except ValueError:
                return ChainCheck(False, count, entry_id)
        if scheme == SCHEME:
            keyed = True
        elif scheme != 1 or keyed:
            return ChainCheck(False, count, entry_id)
        if seal:
            if key is None:
                key = keys.installation_key()
            sealed = seal_for(
                key,
                entry_id,
                uuid,
                tambo_code,
                at,
                username,
                action,
                entity,
                record_uuid,
                summary,
                changes,
                prev_hash,
                hash_,
                scheme,
            )
            if prev_hash != prev or not hmac.compare_digest(seal, sealed):
                return ChainCheck(False, count, entry_id)
            prev = hash_
            continue
        if scheme == SCHEME:
            keyed = True
            if key is None:
                key = keys.installation_key()
            expected = _keyed_digest(
                key, entry_id, uuid, tambo_code, at, username, action, entity, record_uuid, summary, changes, prev
            )
        elif scheme == 1 and not keyed:
            expected = _digest(prev, at, username, action, entity, record_uuid, summary, changes)
        else:
            return ChainCheck(False, count, entry_id)
        if prev_hash != prev or hash_ != expected:
            return ChainCheck(False, count, entry_id)
        prev = hash_
    return ChainCheck(True, count)


def verify_chain() -> ChainCheck:
    """Recompute every hash in order; the first entry that does not match breaks the chain. A
    personal value kept apart whose token no longer matches it breaks it too (at the first line
    that refers to it)."""
    fields = [getattr(AuditEntry, name) for name in CHAIN_COLUMNS]
    chain = verify_rows(AuditEntry.select(*fields).order_by(AuditEntry.id).tuples().iterator())
    if not chain.ok:
        return chain
    altered = personal.altered()
    if altered:
        condition = None
        for token in altered:
            mark = personal.marker(token)
            match = AuditEntry.summary.contains(mark) | AuditEntry.changes.contains(mark)
            condition = match if condition is None else condition | match
        line = AuditEntry.select(pw.fn.MIN(AuditEntry.id)).where(condition).scalar()
        return ChainCheck(False, chain.entries, line or 0)
    return chain


def check_segment(entries: list[dict], prev_hash: str | None) -> int | None:
    """Recompute the hashes of a segment of the trail (a tambo's package: dicts with the entry's
    fields, ``at`` in ISO form) from ``prev_hash``; the id of the first entry that does not match, or None."""
    prev = prev_hash
    for e in entries:
        linked = prev is None or e["prev_hash"] == prev
        if int(e.get("scheme", 1)) >= SCHEME:
            # keyed with the tambo's installation key, which never leaves the tambo: the centre checks
            # the links; the line itself is vouched for by the package's ed25519 signature
            intact = bool(e["hash"])
        else:
            at = dt.datetime.fromisoformat(e["at"])
            intact = e["hash"] == _digest(e["prev_hash"], at, e["username"], e["action"], e["entity"], e["record_uuid"],
                                          e["summary"], e["changes"])  # fmt: skip
        if not (linked and intact):
            return int(e["id"])
        prev = e["hash"]
    return None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    username: str
    action: str
    entity: str
    record_uuid: str
    summary: str
    changes: dict


@dataclass
class AuditFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    username: str = ""
    action: str = ""
    text: str = ""


def erased_label() -> str:
    """What an erased personal value reads as on the audit page and in its export."""
    return _("(borrado por anonimización)")


def _resolved(entries: builtins.list[AuditEntry]) -> builtins.list[tuple[AuditEntry, str, dict]]:
    """Each line with its summary and changes as people read them: the personal values kept put
    back in place of their tokens, and an erased one as :func:`erased_label`."""
    loaded = [(e, json.loads(e.changes) if e.changes else {}) for e in entries]
    values = personal.lookup(personal.tokens_in(*(t for e in entries for t in (e.summary, e.changes))))
    erased = erased_label()
    return [
        (e, str(personal.resolve(e.summary, values, erased)), cast(dict, personal.resolve(c, values, erased)))
        for e, c in loaded
    ]  # resolve() gives back what it was given: the changes' dict with the values in place


def _rows(flt: AuditFilter) -> pw.ModelSelect[AuditEntry]:
    query = AuditEntry.select().order_by(AuditEntry.id.desc())
    # the dates are the tambo's days; the trail's times are UTC
    if flt.date_from:
        query = query.where(AuditEntry.at >= dates.utc_start(flt.date_from))
    if flt.date_to:
        query = query.where(AuditEntry.at < dates.utc_start(flt.date_to + dt.timedelta(days=1)))
    if flt.username:
        query = query.where(AuditEntry.username == flt.username)
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    for word in flt.text.split():
        condition = AuditEntry.summary.contains(word) | AuditEntry.changes.contains(word)
        for token in personal.matching_tokens(word):  # a person's values are kept apart, by token
            mark = personal.marker(token)
            condition |= AuditEntry.summary.contains(mark) | AuditEntry.changes.contains(mark)
        query = query.where(condition)
    return query


def _audit_rows(entries: builtins.list[AuditEntry]) -> builtins.list[AuditRow]:
    return [
        AuditRow(e.id, e.at, e.username, e.action, e.entity, e.record_uuid, summary, changes)
        for e, summary, changes in _resolved(entries)
    ]


def record_history(record_uuid: str, limit: int = 200) -> builtins.list[AuditRow]:
    """Every change to one record, newest first (callers check their own permission)."""
    query = AuditEntry.select().where(AuditEntry.record_uuid == record_uuid).order_by(AuditEntry.id.desc())
    return _audit_rows(list(query.limit(limit)))


class AuditService:
    """Browse and export the trail (administrators and supervisors). No way to edit it."""

    def __init__(self, session) -> None:
        self.session = session

    def list(self, flt: AuditFilter | None = None, limit: int = 500, offset: int = 0) -> builtins.list[AuditRow]:
        self.session.require("audit.view")
        return _audit_rows(list(_rows(flt or AuditFilter()).limit(limit).offset(offset)))

    def readable_changes(self, row: AuditRow) -> builtins.list[ChangeLine]:
        """A line's changes in words for people (labels, names, formatted values; no JSON)."""
        self.session.require("audit.view")
        return describe(row.entity, row.changes)

    def usernames(self) -> builtins.list[str]:
        self.session.require("audit.view")
        return [u for (u,) in tuples(AuditEntry.select(AuditEntry.username).distinct().order_by(AuditEntry.username))]

    def export(self, path: Path, flt: AuditFilter | None = None, fmt: str = "csv") -> int:
        """Write the filtered trail (oldest first) to CSV or XLSX; the export itself is audited."""
        self.session.require("audit.export")
        entries = list(reversed(list(_rows(flt or AuditFilter()))))
        table: builtins.list[builtins.list[object]] = []
        for start in range(0, len(entries), 2000):
            for e, summary, changes in _resolved(entries[start : start + 2000]):
                text = json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str) if changes else ""
                table.append(
                    [
                        e.id,
                        e.at.strftime("%Y-%m-%d %H:%M:%S"),
                        e.username,
                        e.action,
                        e.entity,
                        e.record_uuid,
                        summary,
                        text,
                        e.hash,
                    ]
                )
        header = ["id", "fecha_utc", "usuario", "accion", "registro", "uuid", "resumen", "cambios", "hash"]
        write_table(path, header, table, fmt)
        with self.session.write():
            self.session.audit(
                "export",
                "audit_entry",
                summary=_("{n} líneas de auditoría a {file}").format(n=len(table), file=path.name),
            )
        return len(table)
