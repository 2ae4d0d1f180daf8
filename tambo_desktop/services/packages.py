"""A tambo's package for the central office (issue 20, part 1): the records that changed since the
last package, carried offline (USB stick, e-mail) and imported by ``tambo_desktop.central``.

A package is a ZIP file of three members:

* ``manifest.json`` — in clear: the tambo's code, the package's number and range (the audit
  entries it carries, the package it follows), the records per kind, the tombstones, the
  reference data's version, the tambo's public signing key and the SHA-256 digests of the payload
  (as written, and once decrypted).
* ``manifest.sig`` — the ed25519 signature of ``manifest.json`` by the tambo's own key (made at
  first need, kept in the data folder with mode 0600). The digests inside the manifest tie the
  payload to the signature: changing one byte of any member makes the package fail to verify.
* ``payload.bin`` — the records, tombstones and audit segment as gzip-compressed JSON, sealed
  (libsodium's sealed box: X25519 + XSalsa20-Poly1305) to the central office's public key. All
  of it is sealed, not only the people's names and documents: the audit trail's changes and the
  free-text notes hold personal data too. Only the central office, which keeps the private key,
  can open it; a lost USB stick shows nothing but the manifest.

"Changed" is by uuid and version: ``package_sent`` remembers the version of every record last
sent; a record is in the next ``--since-last`` package when its version is newer (or it was never
sent). Deletions are read from the audit trail (``delete`` entries of the segment) and voided
atenciones are also listed, as tombstones. Accounts go without their password hash; photos and
logos (blobs) and the link rows without a uuid (services offered, stops, attendance) stay in the
tambo. Each package is recorded in ``package`` and can be made again (``again``): the records whose
last sending it was, at their current state, and the same audit segment.

The library is PyNaCl (libsodium's Python binding, kept by the Python Cryptographic Authority): see
docs/CENTRAL.md for why.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.public
import nacl.signing
import peewee as pw

from tambo_desktop import __version__, files, paths
from tambo_desktop.db import reference
from tambo_desktop.db.migrations import LATEST_VERSION
from tambo_desktop.db.models import (
    ALL_MODELS,
    AuditEntry,
    BusinessModel,
    Entity,
    Package,
    PackageSent,
    Service,
    Setting,
    Tambo,
    utcnow,
)
from tambo_desktop.db.sql import tuples
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _
from tambo_desktop.services import audit
from tambo_desktop.services.session import Session

FORMAT = "tambo-package"
FORMAT_VERSION = 1
KEY_FORMAT = "tambo-central-key"
MANIFEST, SIGNATURE, PAYLOAD = "manifest.json", "manifest.sig", "payload.bin"
CENTRAL_KEY_SETTING = "central_public_key"
SIGNING_KEY_FILE = "package-signing.key"
#: Fields that never leave the tambo.
PRIVATE_FIELDS = {"user": {"password_hash", "failed_logins", "locked_until", "last_login_at"}}
#: Business records in the order a central database inserts them (ALL_MODELS is in dependency order).
EXPORTED: tuple[type[BusinessModel], ...] = tuple(m for m in ALL_MODELS if issubclass(m, BusinessModel))
KINDS = {m._meta.table_name: m for m in EXPORTED}
#: Reference data is named by its code in a package (its uuids differ from one install to another).
BY_CODE: tuple[type[pw.Model], ...] = (Entity, Service)


class PackageError(TamboError):
    """A package cannot be made or is refused; the message says why."""


class CentralKeyMissing(PackageError):
    """No central office's public key installed: no package can be made."""


# -- keys ---------------------------------------------------------------------------------------


def keys_dir() -> Path:
    folder = paths.home() / "keys"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def signing_key(create: bool = True) -> nacl.signing.SigningKey | None:
    """The tambo's ed25519 key (made at first need in the data folder, mode 0600)."""
    path = keys_dir() / SIGNING_KEY_FILE
    if path.exists():
        try:
            return nacl.signing.SigningKey(bytes.fromhex(path.read_text(encoding="ascii").strip()))
        except (ValueError, nacl.exceptions.CryptoError) as exc:
            raise PackageError(_("La clave de firma del tambo en {path} está dañada.").format(path=path)) from exc
    if not create:
        return None
    key = nacl.signing.SigningKey.generate()
    files.write_bytes(path, key.encode().hex().encode("ascii") + b"\n", private=True)
    os.chmod(path, 0o600)
    return key


def public_text(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def key_id(key: bytes) -> str:
    """A short fingerprint of a public key, for people to compare (16 hex digits)."""
    return hashlib.sha256(key).hexdigest()[:16]


@dataclass(frozen=True)
class CentralKey:
    """The central office's public keys: ``box`` (X25519) seals packages to it, ``sign`` (ed25519)
    verifies the reference-data packages it sends back."""

    box: bytes
    sign: bytes
    name: str = ""

    @property
    def id(self) -> str:
        return key_id(self.box)

    def to_text(self) -> str:
        data = {
            "format": KEY_FORMAT,
            "version": 1,
            "name": self.name,
            "box": public_text(self.box),
            "sign": public_text(self.sign),
        }
        return json.dumps(data, indent=2) + "\n"


def parse_central_key(text: str) -> CentralKey:
    """Read a central public key file (``central public-key`` writes it); PackageError if it is not one."""
    try:
        data = json.loads(text)
        if data.get("format") != KEY_FORMAT:
            raise ValueError
        box, sign = base64.b64decode(data["box"], validate=True), base64.b64decode(data["sign"], validate=True)
        if len(box) != 32 or len(sign) != 32:
            raise ValueError
        return CentralKey(box, sign, str(data.get("name", "")))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PackageError(_("El archivo no es una clave pública de la oficina central.")) from exc


def central_key() -> CentralKey | None:
    row = Setting.get_or_none(Setting.key == CENTRAL_KEY_SETTING)
    return parse_central_key(row.value) if row else None


# -- what goes in a package ---------------------------------------------------------------------


def _plain(value: object) -> object:
    if isinstance(value, bytes | memoryview):
        return None
    return audit._plain(value)


class _References:
    """Foreign keys as the target's uuid (business records) or code (entities, services)."""

    def __init__(self) -> None:
        self.maps: dict[type[pw.Model], dict[object, object]] = {}

    def of(self, model: type[pw.Model]) -> dict[object, object]:
        if model not in self.maps:
            key = model.code if model in BY_CODE else model.uuid  # type: ignore[attr-defined]
            self.maps[model] = dict(tuples(model.select(model._meta.primary_key, key)))
        return self.maps[model]


def _fields(model: type[BusinessModel]) -> list[pw.Field]:
    skip = PRIVATE_FIELDS.get(model._meta.table_name, set()) | {"id"}
    return [f for f in model._meta.sorted_fields if f.name not in skip and not isinstance(f, pw.BlobField)]


def record_rows(model: type[BusinessModel], query: Any, refs: _References) -> Iterator[dict]:
    """The package rows of ``query`` (plain JSON values, foreign keys as uuids or codes)."""
    fields = _fields(model)
    for values in query.select(*fields).tuples().iterator():
        row: dict[str, object] = {}
        for f, value in zip(fields, values, strict=True):
            if isinstance(f, pw.ForeignKeyField) and value is not None:
                target = f.rel_model
                value = value if not hasattr(target, "uuid") and target not in BY_CODE else refs.of(target).get(value)
            row[f.name] = _plain(value)
        yield row


def _changed(model: type[BusinessModel]) -> Any:
    return (
        model.select()
        .join(PackageSent, pw.JOIN.LEFT_OUTER, on=(PackageSent.uuid == model.uuid))
        .where(PackageSent.uuid.is_null() | (PackageSent.version < model.version))
    )


def _audit_rows(first: int, last: int) -> list[dict]:
    query = AuditEntry.select().where((AuditEntry.id >= first) & (AuditEntry.id <= last)).order_by(AuditEntry.id)
    return [
        {"id": e.id, "uuid": e.uuid, "at": e.at.strftime("%Y-%m-%dT%H:%M:%S"), "username": e.username, "action": e.action,
         "entity": e.entity, "record_uuid": e.record_uuid, "summary": e.summary, "changes": e.changes,
         "prev_hash": e.prev_hash, "hash": e.hash, "scheme": e.scheme}
        for e in query
    ]  # fmt: skip


def tombstones(records: dict[str, list[dict]], audit_rows: list[dict]) -> list[dict]:
    """Deleted records (``delete`` lines of the segment) and voided atenciones."""
    found = [
        {"kind": a["entity"], "uuid": a["record_uuid"], "why": "delete", "at": a["at"]}
        for a in audit_rows
        if a["action"] == "delete" and a["record_uuid"] and a["entity"] in KINDS
    ]
    found += [
        {"kind": "attention", "uuid": r["uuid"], "why": "void", "version": r["version"], "reason": r["void_reason"]}
        for r in records.get("attention", [])
        if r["voided"]
    ]
    return found


@dataclass(frozen=True)
class PackageInfo:
    """What a package holds (the manifest's counts), and where it was written."""

    seq: int
    path: Path
    records: int
    tombstones: int
    audit_entries: int
    counts: dict[str, int]
    sha256: str
    remade: bool = False


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(manifest: dict, body: dict, key: nacl.signing.SigningKey, central: CentralKey) -> bytes:
    """The bytes of a package: the sealed payload, the manifest with its digests, the signature."""
    plain = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    packed = gzip.compress(plain, compresslevel=6, mtime=0)
    sealed = nacl.public.SealedBox(nacl.public.PublicKey(central.box)).encrypt(packed)
    manifest = {
        **manifest,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "central_key": central.id,
        "tambo_key": public_text(key.verify_key.encode()),
        "digests": {PAYLOAD: _digest(sealed), "payload.json": _digest(plain)},
        "sizes": {PAYLOAD: len(sealed), "payload.json": len(plain)},
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # the payload is compressed already
        archive.writestr(MANIFEST, text)
        archive.writestr(SIGNATURE, key.sign(text).signature.hex())
        archive.writestr(PAYLOAD, sealed)
    return out.getvalue()


class PackageService:
    """Make the packages for the central office (``packages.export``) and install its key
    (``packages.central_key``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def set_central_key(self, text: str) -> CentralKey:
        """Install (or replace) the central office's public key, given as the file's text."""
        self.session.require("packages.central_key")
        key = parse_central_key(text)
        with self.session.write():
            old = Setting.get_or_none(Setting.key == CENTRAL_KEY_SETTING)
            Setting.insert(key=CENTRAL_KEY_SETTING, value=key.to_text()).on_conflict(
                conflict_target=[Setting.key], update={Setting.value: key.to_text()}
            ).execute()
            before = parse_central_key(old.value).id if old else ""
            self.session.audit("settings", "setting", summary=_("Clave de la oficina central: {key}").format(key=key.id),
                               changes={"central_public_key": [before, key.id]})  # fmt: skip
        return key

    def history(self) -> list[Package]:
        self.session.require("packages.export")
        return list(Package.select().order_by(Package.id))

    def export(self, out: Path, mode: str = "since_last", again: int | None = None) -> PackageInfo:
        """Write a package to ``out``: ``since_last`` (what changed since the last package), ``all``
        (every record, the whole trail) or ``again`` (package number ``again`` made anew)."""
        self.session.require("packages.export")
        central = central_key()
        if central is None:
            raise CentralKeyMissing(
                _(
                    "Falta la clave pública de la oficina central: instálela primero con «package central-key --set ARCHIVO»."
                )
            )
        key = signing_key()
        assert key is not None
        with self.session.write():
            tambo = Tambo.get()
            refs = _References()
            last = Package.select().order_by(Package.id.desc()).first()
            audit_end = AuditEntry.select(pw.fn.MAX(AuditEntry.id)).scalar() or 0
            if again is not None:
                old = Package.get_or_none(Package.id == again)
                if old is None:
                    raise PackageError(_("No hay ningún paquete número {n}.").format(n=again))
                seq, first, audit_end = old.id, old.audit_from, old.audit_to
                queries: dict[type[BusinessModel], Any] = {
                    m: m.select().join(PackageSent, on=(PackageSent.uuid == m.uuid)).where(PackageSent.package_seq == old.id)
                    for m in EXPORTED
                }  # fmt: skip
                previous = old.id - 1 or None
            else:
                seq = (last.id if last else 0) + 1
                first = 1 if mode == "all" or last is None else last.audit_to + 1
                queries = {m: (m.select() if mode == "all" else _changed(m)) for m in EXPORTED}
                previous = last.id if last else None
            records = {m._meta.table_name: list(record_rows(m, q, refs)) for m, q in queries.items()}
            records = {k: rows for k, rows in records.items() if rows}
            audit_rows = _audit_rows(first, audit_end)
            dead = tombstones(records, audit_rows)
            counts = {k: len(rows) for k, rows in records.items()}
            manifest = {
                "tambo_code": tambo.code,
                "tambo_name": tambo.name,
                "district": tambo.district_id,
                "seq": seq,
                "mode": "again" if again is not None else mode,
                "previous": previous,
                "made_at": utcnow().isoformat(),
                "made_by": self.session.user.username,
                "app_version": __version__,
                "schema_version": LATEST_VERSION,
                "reference_version": reference_version(),
                "range": {"audit_from": first, "audit_to": audit_end,
                          "audit_first_prev": audit_rows[0]["prev_hash"] if audit_rows else None,
                          "audit_last_hash": audit_rows[-1]["hash"] if audit_rows else None},
                "counts": {"records": counts, "tombstones": len(dead), "audit": len(audit_rows)},
            }  # fmt: skip
            data = build(manifest, {"records": records, "tombstones": dead, "audit": audit_rows}, key, central)
            sha = _digest(data)
            files.write_bytes(out, data)
            total = sum(counts.values())
            if again is None:
                Package.create(id=seq, made_at=utcnow(), made_by=self.session.user.username, mode=mode, file_name=out.name,
                               sha256=sha, records=total, tombstones=len(dead), audit_from=first, audit_to=audit_end,
                               counts=json.dumps(counts, sort_keys=True))  # fmt: skip
                _remember(records, seq)
            else:
                Package.update(remade=Package.remade + 1).where(Package.id == seq).execute()
            self.session.audit(
                "export", "package", summary=_("Paquete {n} para la oficina central: {records} registros, {audit} líneas de auditoría, a {file}").format(
                    n=seq, records=total, audit=len(audit_rows), file=out.name),
            )  # fmt: skip
        return PackageInfo(seq, out, total, len(dead), len(audit_rows), counts, sha, again is not None)


def _remember(records: dict[str, list[dict]], seq: int) -> None:
    rows = [(r["uuid"], r["version"], seq) for kind in records.values() for r in kind]
    fields = [PackageSent.uuid, PackageSent.version, PackageSent.package_seq]
    for start in range(0, len(rows), 500):
        PackageSent.insert_many(rows[start : start + 500], fields=fields).on_conflict(
            conflict_target=[PackageSent.uuid],
            update={PackageSent.version: pw.EXCLUDED.version, PackageSent.package_seq: pw.EXCLUDED.package_seq},
        ).execute()


REFERENCE_VERSION_SETTING = "reference_package_version"


def reference_version() -> dict:
    """The reference data this tambo holds: the bundled files' fingerprint and the last reference
    package from the centre it imported (0: none)."""
    row = Setting.get_or_none(Setting.key == REFERENCE_VERSION_SETTING)
    return {"bundled": reference.fingerprint()[:16], "central": int(row.value) if row else 0}


# -- reading a package (the central office) ----------------------------------------------------


@dataclass
class OpenedPackage:
    """A package whose signature, digests and audit segment verified."""

    manifest: dict
    records: dict[str, list[dict]] = field(default_factory=dict)
    tombstones: list[dict] = field(default_factory=list)
    audit: list[dict] = field(default_factory=list)
    sha256: str = ""

    @property
    def tambo_code(self) -> str:
        return str(self.manifest["tambo_code"])

    @property
    def tambo_key(self) -> bytes:
        return base64.b64decode(self.manifest["tambo_key"])


class PackageRefused(PackageError):
    """The package does not verify; nothing of it was imported."""


def open_package(data: bytes, box_key: nacl.public.PrivateKey) -> OpenedPackage:
    """Verify and open a package's bytes with the central office's private key; PackageRefused says why."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if not {MANIFEST, SIGNATURE, PAYLOAD} <= names:
            raise PackageRefused(_("No es un paquete de un tambo: le faltan partes."))
        text, signature, sealed = archive.read(MANIFEST), archive.read(SIGNATURE), archive.read(PAYLOAD)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError) as exc:
        raise PackageRefused(_("No es un paquete de un tambo o está dañado.")) from exc
    try:
        manifest = json.loads(text)
        tambo_key = nacl.signing.VerifyKey(base64.b64decode(manifest["tambo_key"]))
        if manifest.get("format") != FORMAT:
            raise ValueError
    except (ValueError, KeyError, TypeError, nacl.exceptions.CryptoError) as exc:
        raise PackageRefused(_("El manifiesto del paquete no se puede leer.")) from exc
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise PackageRefused(_("El paquete es de una versión más nueva del programa: actualice la oficina central."))
    try:
        tambo_key.verify(text, bytes.fromhex(signature.decode("ascii").strip()))
    except (ValueError, UnicodeDecodeError, nacl.exceptions.BadSignatureError) as exc:
        raise PackageRefused(
            _("La firma del paquete no es válida: el manifiesto fue cambiado o no lo firmó el tambo.")
        ) from exc
    if _digest(sealed) != manifest.get("digests", {}).get(PAYLOAD):
        raise PackageRefused(_("El contenido del paquete no coincide con su manifiesto (huella SHA-256 distinta)."))
    if manifest.get("central_key") != key_id(bytes(box_key.public_key)):
        raise PackageRefused(
            _("El paquete se cerró para otra clave de la oficina central ({key}).").format(
                key=manifest.get("central_key")
            )
        )
    try:
        plain = gzip.decompress(nacl.public.SealedBox(box_key).decrypt(sealed))
    except (nacl.exceptions.CryptoError, OSError, EOFError) as exc:
        raise PackageRefused(
            _("El contenido del paquete no se puede abrir con la clave de la oficina central.")
        ) from exc
    if _digest(plain) != manifest["digests"].get("payload.json"):
        raise PackageRefused(_("El contenido del paquete no coincide con su manifiesto (huella SHA-256 distinta)."))
    body = json.loads(plain)
    opened = OpenedPackage(
        manifest, body.get("records", {}), body.get("tombstones", []), body.get("audit", []), _digest(data)
    )
    counts = {k: len(v) for k, v in opened.records.items()}
    if counts != manifest["counts"]["records"] or len(opened.audit) != manifest["counts"]["audit"]:
        raise PackageRefused(_("Las cantidades del paquete no coinciden con su manifiesto."))
    bad = audit.check_segment(opened.audit, manifest["range"]["audit_first_prev"])
    if bad is not None:
        raise PackageRefused(
            _("La auditoría del paquete no verifica: la cadena se rompe en la línea {n}.").format(n=bad)
        )
    unknown = set(opened.records) - set(KINDS)
    if unknown:
        raise PackageRefused(
            _("El paquete tiene registros de un tipo desconocido: {kinds}.").format(kinds=", ".join(sorted(unknown)))
        )
    return opened


def parse_time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None
