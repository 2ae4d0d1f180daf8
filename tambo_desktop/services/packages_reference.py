"""The reference-data package from the central office back to the tambos (issue 20, part 5).

A ZIP of ``reference.json`` (the service catalogue: entities and services, the need rules, each
tambo's metas, notices; a version number that only grows) and ``reference.sig``, its ed25519
signature by the central office (the ``sign`` key of the central key file the tambo installed).
Nothing personal is in it, so it is not sealed.

Importing it (``package reference FILE``, administrators) changes the catalogue in one
transaction and says what changed. It never removes anything: a service that left the catalogue
is only deactivated (hidden from the desk), and one that has atenciones stays as it is. The
tambo's metas are set through the goals service (versioned and audited like a hand-typed meta).
An older or the same version is refused: the catalogue never goes back.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nacl.exceptions
import nacl.signing

from tambo_desktop.db.models import Attention, Entity, NeedRule, Service, Setting
from tambo_desktop.db.sql import tuples
from tambo_desktop.i18n import _
from tambo_desktop.services.goals import GoalForm, GoalService
from tambo_desktop.services.packages import REFERENCE_VERSION_SETTING, PackageError, PackageRefused, central_key
from tambo_desktop.services.session import Session

FORMAT = "tambo-reference"
DOCUMENT, SIGNATURE = "reference.json", "reference.sig"
NOTICES_SETTING = "central_notices"


def build(document: dict, key: nacl.signing.SigningKey) -> bytes:
    """The bytes of a reference package (the central office makes it: ``central reference``)."""
    text = json.dumps({**document, "format": FORMAT}, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DOCUMENT, text)
        archive.writestr(SIGNATURE, key.sign(text).signature.hex())
    return out.getvalue()


def read(data: bytes, verify_key: bytes) -> dict:
    """The verified document of a reference package; PackageRefused says why not."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text, signature = archive.read(DOCUMENT), archive.read(SIGNATURE)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise PackageRefused(_("No es un paquete de datos de referencia de la oficina central o está dañado.")) from exc
    try:
        nacl.signing.VerifyKey(verify_key).verify(text, bytes.fromhex(signature.decode("ascii").strip()))
    except (ValueError, UnicodeDecodeError, nacl.exceptions.BadSignatureError) as exc:
        raise PackageRefused(
            _("La firma del paquete no es de la oficina central cuya clave tiene este tambo.")
        ) from exc
    document = json.loads(text)
    if document.get("format") != FORMAT:
        raise PackageRefused(_("No es un paquete de datos de referencia de la oficina central o está dañado."))
    return document


@dataclass
class ReferenceReport:
    """What a reference package changed (codes), to show the administrator."""

    version: int
    entities_added: list[str] = field(default_factory=list)
    entities_changed: list[str] = field(default_factory=list)
    services_added: list[str] = field(default_factory=list)
    services_changed: list[str] = field(default_factory=list)
    services_deactivated: list[str] = field(default_factory=list)
    services_kept: list[str] = field(default_factory=list)  # left the catalogue but have atenciones: unchanged
    rules_added: int = 0
    goals_set: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def current_version() -> int:
    row = Setting.get_or_none(Setting.key == REFERENCE_VERSION_SETTING)
    return int(row.value) if row else 0


def import_reference(session: Session, path: Path) -> ReferenceReport:
    """Apply a reference package of the central office to this tambo (``packages.reference``)."""
    session.require("packages.reference")
    key = central_key()
    if key is None:
        raise PackageError(
            _(
                "Falta la clave pública de la oficina central: instálela primero con «package central-key --set ARCHIVO»."
            )
        )
    document = read(Path(path).read_bytes(), key.sign)
    version = int(document.get("version", 0))
    have = current_version()
    if version <= have:
        raise PackageRefused(
            _("Este tambo ya tiene los datos de referencia versión {have}; el paquete es la versión {version}.").format(
                have=have, version=version
            )
        )
    report = ReferenceReport(version)
    with session.write():
        _entities(document.get("entities", []), report)
        _services(document.get("services", []), report)
        report.rules_added = _rules(document.get("need_rules", []))
        goals = GoalService(session)
        for g in document.get("goals", {}).get(session.tambo_code, []):
            month = f"{int(g['year']):04d}-{int(g['month']):02d}"
            goals.set(GoalForm(month, str(g["attentions"]), str(g["users"]), g.get("entity") or ""))
            report.goals_set.append(f"{month} {g.get('entity') or ''}".strip())
        report.notices = [str(n) for n in document.get("notices", [])]
        for k, value in (
            (REFERENCE_VERSION_SETTING, str(version)),
            (NOTICES_SETTING, json.dumps(report.notices, ensure_ascii=False)),
        ):
            Setting.insert(key=k, value=value).on_conflict(
                conflict_target=[Setting.key], update={Setting.value: value}
            ).execute()
        changes = {
            "entities": [report.entities_added, report.entities_changed],
            "services": [report.services_added + report.services_changed, report.services_deactivated],
        }
        session.audit("import", "setting", summary=_("Datos de referencia de la oficina central, versión {version}").format(version=version),
                      changes={"reference_version": [have, version], **changes})  # fmt: skip
    return report


def _entities(rows: list[dict], report: ReferenceReport) -> None:
    existing = {e.code: e for e in Entity.select()}
    for row in rows:
        values = {
            "name": row["name"],
            "sector": row["sector"],
            "level": row["level"],
            "active": bool(row.get("active", True)),
        }
        old = existing.get(row["code"])
        if old is None:
            Entity.create(code=row["code"], **values)
            report.entities_added.append(row["code"])
        elif any(getattr(old, k) != v for k, v in values.items()):
            Entity.update(**values).where(Entity.id == old.id).execute()
            report.entities_changed.append(row["code"])


def _services(rows: list[dict], report: ReferenceReport) -> None:
    entities = dict(tuples(Entity.select(Entity.code, Entity.id)))
    existing = {s.code: s for s in Service.select()}
    used = {i for (i,) in tuples(Attention.select(Attention.service).distinct())}
    listed = set()
    for row in rows:
        if row["entity"] not in entities:
            raise PackageRefused(_("El paquete nombra la entidad «{code}», que no trae.").format(code=row["entity"]))
        active = bool(row.get("active", True))
        values = {"entity": entities[row["entity"]], "name": row["name"], "category": row["category"], "active": active}
        old = existing.get(row["code"])
        listed.add(row["code"])
        if old is None:
            Service.create(code=row["code"], **values)
            report.services_added.append(row["code"])
            continue
        if not active and old.id in used:
            values["active"] = old.active  # a service that has atenciones stays as it is
            report.services_kept.append(row["code"])
        if any(getattr(old, k if k != "entity" else "entity_id") != v for k, v in values.items()):
            Service.update(**values).where(Service.id == old.id).execute()
            (report.services_deactivated if old.active and not values["active"] else report.services_changed).append(
                row["code"]
            )
    for code, old in existing.items():
        if code in listed or not old.active:
            continue
        if old.id in used:
            report.services_kept.append(code)
        else:
            Service.update(active=False).where(Service.id == old.id).execute()
            report.services_deactivated.append(code)


def _rules(rows: list[dict]) -> int:
    services = dict(tuples(Service.select(Service.code, Service.id)))
    have = set(tuples(NeedRule.select(NeedRule.need, NeedRule.activity, NeedRule.service)))
    added = 0
    for row in rows:
        service = services.get(row["service"])
        key = (row["need"], row.get("activity") or "", service)
        if service is not None and key not in have:
            NeedRule.create(need=key[0], activity=key[1], service=service)
            have.add(key)
            added += 1
    return added
