"""``central import FILE``: a tambo's package into the central database, all or nothing.

1. The package is verified (``services.packages.open_package``: signature, digests, counts, the
   audit segment's own chain) and its tambo's key compared with the key of its earlier packages.
2. The audit segment must join the trail already received from that tambo (the entry before it,
   the entry after it, and any entry received twice must agree): a forged or rewritten trail is
   refused.
3. Each record is judged by ``central_record`` (uuid → the version and the digest last kept):
   new → inserted; newer version → updated; same version and content → unchanged (the same
   package twice changes nothing); older version → skipped (a package arriving late never
   overwrites newer data); same version with other content, or the same uuid from another tambo →
   a **conflict**: the kept record stays, the other is stored beside it for review. Deleted
   records (tombstones) stay deleted whatever arrives later; a deleted atención is voided.
4. People with the same DNI in several tambos are linked to one ``central_national_person``.

Everything runs in one transaction: a package that fails anywhere leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import peewee as pw

from tambo_desktop.central import keys as central_keys
from tambo_desktop.central import rollups, schema
from tambo_desktop.central.accounts import CentralSession
from tambo_desktop.central.models import (
    CentralAttention,
    CentralAudit,
    CentralCommunity,
    CentralConflict,
    CentralGoal,
    CentralPackage,
    CentralPerson,
    CentralRecord,
    CentralTambo,
)
from tambo_desktop.db.connection import current_database
from tambo_desktop.db.models import Entity, Service
from tambo_desktop.db.sql import tuples
from tambo_desktop.i18n import _
from tambo_desktop.services.audit import GENESIS
from tambo_desktop.services.packages import EXPORTED, OpenedPackage, PackageRefused, open_package, public_text

CHUNK = 1000


@dataclass
class ImportReport:
    tambo_code: str
    seq: int
    already: bool = False  # the same package (same SHA-256) was imported before: nothing changed
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    conflicts: int = 0
    tombstones: int = 0
    audit_new: int = 0
    linked: int = 0  # people of this package whose DNI is known in another tambo
    forked: bool = False  # the audit trail branched: a copy of the tambo's database was used elsewhere
    by_kind: dict[str, int] = field(default_factory=dict)


def _digest(row: dict) -> str:
    return hashlib.sha256(
        json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_file(session: CentralSession, path: Path) -> ImportReport:
    session.require("central.import")
    data = Path(path).read_bytes()
    box = central_keys.load().box
    package = open_package(data, box)
    db = current_database()
    with db.atomic():
        db.execute_sql("SELECT pg_advisory_xact_lock(727203)")  # one import at a time
        if CentralPackage.select().where(CentralPackage.sha256 == package.sha256).exists():
            return ImportReport(package.tambo_code, int(package.manifest["seq"]), already=True)
        return _Import(session, package).run()


class _Import:
    def __init__(self, session: CentralSession, package: OpenedPackage) -> None:
        self.session = session
        self.p = package
        self.code = package.tambo_code
        self.report = ImportReport(self.code, int(package.manifest["seq"]))
        self.entities = dict(tuples(Entity.select(Entity.code, Entity.id)))
        self.services = dict(tuples(Service.select(Service.code, Service.id)))

    def run(self) -> ImportReport:
        tambo = self._tambo()
        self.fork: dict | None = None
        record = CentralPackage.create(
            tambo_code=self.code, seq=self.report.seq, sha256=self.p.sha256, imported_by=self.session.username,
            manifest=json.dumps(self.p.manifest, ensure_ascii=False, sort_keys=True),
        )  # fmt: skip
        self.package_id = record.id
        self._audit()
        if self.fork is not None:
            e = self.fork
            kept = json.dumps(self._kept_entry(e), ensure_ascii=False)
            CentralConflict.create(uuid=e["uuid"], kind="audit_entry", version=e["id"], kept_tambo=self.code, kept_data=kept,
                                   other_tambo=self.code, other_version=e["id"], other_data=json.dumps(e, ensure_ascii=False),
                                   package=record.id)  # fmt: skip
            self.report.conflicts += 1
            self.report.forked = True
        applied: dict[str, list[dict]] = {}
        for model in EXPORTED:
            kind = model._meta.table_name
            rows = self.p.records.get(kind, [])
            if rows:
                applied[kind] = self._judge(kind, rows)
        self.years: set[int] = set()
        self._typed(applied, tambo)
        self._tombstones()
        if self.years:  # the national counts follow in the same transaction
            rollups.refresh(self.years, {self.code})
        r = self.report
        CentralPackage.update(
            inserted=r.inserted,
            updated=r.updated,
            unchanged=r.unchanged,
            older=r.older,
            conflicts=r.conflicts,
            tombstones=r.tombstones,
        ).where(CentralPackage.id == record.id).execute()
        return r

    # -- the tambo and its trail -------------------------------------------------------------------

    def _tambo(self) -> CentralTambo:
        key = public_text(self.p.tambo_key)
        tambo = CentralTambo.get_or_none(CentralTambo.code == self.code)
        district = str(self.p.manifest.get("district") or "")
        if tambo is None:
            return CentralTambo.create(
                code=self.code, name=self.p.manifest.get("tambo_name", self.code), district_code=district,
                department_code=district[:2], public_key=key, reference_version=json.dumps(self.p.manifest.get("reference_version", {})),
            )  # fmt: skip
        if tambo.public_key != key:
            raise PackageRefused(
                _("El paquete dice ser del tambo {code} pero no lo firmó la clave de sus paquetes anteriores.").format(
                    code=self.code
                )
            )
        tambo.name = self.p.manifest.get("tambo_name", tambo.name)
        tambo.reference_version = json.dumps(self.p.manifest.get("reference_version", {}))
        tambo.save()
        return tambo

    def _audit(self) -> None:
        """Join the segment to the trail received before: its first entry must follow an entry
        received (when the one before it arrived already); a second branch from the same point (a
        copy of the database used elsewhere) is kept and listed as a conflict, never refused
        silently nor merged."""
        entries = self.p.audit
        if not entries:
            return
        first, last = entries[0], entries[-1]
        known: dict[int, dict[str, str]] = {}
        query = CentralAudit.select(CentralAudit.entry_id, CentralAudit.prev_hash, CentralAudit.hash).where(
            (CentralAudit.tambo_code == self.code)
            & (CentralAudit.entry_id >= first["id"] - 1)
            & (CentralAudit.entry_id <= last["id"] + 1)
        )
        for i, prev, h in tuples(query):
            known.setdefault(i, {})[h] = prev
        refused = PackageRefused(
            _("La auditoría del paquete no continúa la del tambo {code} ya recibida: fue cambiada.").format(
                code=self.code
            )
        )
        if first["id"] == 1 and first["prev_hash"] != GENESIS:
            raise refused
        before = known.get(first["id"] - 1)
        if before and first["prev_hash"] not in before:
            raise refused
        new, fork = [], None
        for e in entries:
            seen = known.get(e["id"], {})
            if e["hash"] in seen:
                continue
            if seen and fork is None:
                fork = e
            new.append(e)
        rows = [
            (self.code, e["id"], e["uuid"], dt.datetime.fromisoformat(e["at"]), e["username"], e["action"], e["entity"],
             e["record_uuid"], e["summary"], e["changes"], e["prev_hash"], e["hash"])
            for e in new
        ]  # fmt: skip
        fields = [CentralAudit.tambo_code, CentralAudit.entry_id, CentralAudit.uuid, CentralAudit.at, CentralAudit.username,
                  CentralAudit.action, CentralAudit.entity, CentralAudit.record_uuid, CentralAudit.summary, CentralAudit.changes,
                  CentralAudit.prev_hash, CentralAudit.hash]  # fmt: skip
        for chunk in _chunks(rows):
            CentralAudit.insert_many(chunk, fields=fields).execute()
        self.report.audit_new = len(new)
        if fork is not None:
            self.fork = fork

    def _kept_entry(self, other: dict) -> dict:
        """The entry the central database holds at the place where ``other`` branched off (the
        branch received first), in the package's form, for the reviewer to see beside it."""
        a = CentralAudit
        row = (
            a.select()
            .where((a.tambo_code == self.code) & (a.entry_id == other["id"]) & (a.hash != other["hash"]))
            .order_by(a.at, a.hash)
            .first()
        )
        if row is None:
            return {}
        return {"id": row.entry_id, "uuid": row.uuid, "at": row.at.strftime("%Y-%m-%dT%H:%M:%S"), "username": row.username,
                "action": row.action, "entity": row.entity, "record_uuid": row.record_uuid,
                "summary": row.summary, "changes": row.changes, "prev_hash": row.prev_hash, "hash": row.hash}  # fmt: skip

    # -- records ---------------------------------------------------------------------------------

    def _judge(self, kind: str, rows: list[dict]) -> list[dict]:
        """Decide row by row; write ``central_record``; return the rows to apply to the typed tables."""
        r = self.report
        kept: dict[str, tuple[str, int, str, bool, str]] = {}
        for chunk in _chunks([row["uuid"] for row in rows]):
            query = CentralRecord.select(
                CentralRecord.uuid, CentralRecord.tambo_code, CentralRecord.version, CentralRecord.digest, CentralRecord.deleted,
                CentralRecord.data,
            ).where(CentralRecord.uuid.in_(chunk))  # fmt: skip
            kept.update({u: (t, v, d, x, data) for u, t, v, d, x, data in tuples(query)})
        inserts, updates, apply = [], [], []
        for row in rows:
            digest = _digest(row)
            old = kept.get(row["uuid"])
            if old is None:
                inserts.append(
                    (
                        row["uuid"],
                        kind,
                        self.code,
                        row["version"],
                        digest,
                        False,
                        json.dumps(row, ensure_ascii=False),
                        self.package_id,
                    )
                )
                apply.append(row)
                r.inserted += 1
                continue
            tambo, version, old_digest, deleted, data = old
            if tambo != self.code or (row["version"] == version and digest != old_digest):
                CentralConflict.create(uuid=row["uuid"], kind=kind, version=version, kept_tambo=tambo, kept_data=data,
                                       other_tambo=self.code, other_version=row["version"],
                                       other_data=json.dumps(row, ensure_ascii=False), package=self.package_id)  # fmt: skip
                r.conflicts += 1
            elif deleted or row["version"] < version:
                r.older += 1
            elif row["version"] == version:
                r.unchanged += 1
            else:
                updates.append((row, digest))
                apply.append(row)
                r.updated += 1
        fields = [CentralRecord.uuid, CentralRecord.kind, CentralRecord.tambo_code, CentralRecord.version, CentralRecord.digest,
                  CentralRecord.deleted, CentralRecord.data, CentralRecord.package]  # fmt: skip
        for chunk in _chunks(inserts):
            CentralRecord.insert_many(chunk, fields=fields).execute()
        for row, digest in updates:
            CentralRecord.update(version=row["version"], digest=digest, data=json.dumps(row, ensure_ascii=False),
                                 package=self.package_id, updated_at=pw.fn.now()).where(CentralRecord.uuid == row["uuid"]).execute()  # fmt: skip
        if apply:
            r.by_kind[kind] = len(apply)
        return apply

    def _typed(self, applied: dict[str, list[dict]], tambo: CentralTambo) -> None:
        """Write the applied rows of the kinds the indicators read into their typed tables."""
        communities = applied.get("community", [])
        for chunk in _chunks(communities):
            rows = [dict(uuid=c["uuid"], tambo_code=self.code, version=c["version"], name=c["name"], district_code=c.get("district"),
                         kind=c.get("kind") or "", population=c.get("population")) for c in chunk]  # fmt: skip
            CentralCommunity.insert_many(rows).on_conflict(
                conflict_target=[CentralCommunity.uuid],
                update={f: pw.EXCLUDED[f.column_name] for f in (CentralCommunity.version, CentralCommunity.name,
                        CentralCommunity.district_code, CentralCommunity.kind, CentralCommunity.population)},
            ).execute()  # fmt: skip
        persons = applied.get("person", [])
        community_ids = self._ids(CentralCommunity, {p["community"] for p in persons if p.get("community")})
        for chunk in _chunks(persons):
            rows = [dict(uuid=p["uuid"], tambo_code=self.code, version=p["version"], document_type=p["document_type"],
                         document_number=p["document_number"], first_names=p["first_names"], last_name_1=p["last_name_1"],
                         last_name_2=p["last_name_2"], sex=p["sex"], birth_date=p["birth_date"],
                         community=community_ids.get(p.get("community")), anonymized=p["anonymized"]) for p in chunk]  # fmt: skip
            CentralPerson.insert_many(rows).on_conflict(
                conflict_target=[CentralPerson.uuid],
                update={f: pw.EXCLUDED[f.column_name] for f in (
                    CentralPerson.version, CentralPerson.document_type, CentralPerson.document_number, CentralPerson.first_names,
                    CentralPerson.last_name_1, CentralPerson.last_name_2, CentralPerson.sex, CentralPerson.birth_date,
                    CentralPerson.community, CentralPerson.anonymized)},
            ).execute()  # fmt: skip
        self._link([p["uuid"] for p in persons if p["document_type"] == "dni" and p.get("document_number")])
        attentions = applied.get("attention", [])
        if attentions:
            self._attentions(attentions, tambo)
        goals = applied.get("monthly_goal", [])
        for chunk in _chunks(goals):
            rows = [dict(uuid=g["uuid"], tambo_code=self.code, version=g["version"], year=g["year"], month=g["month"],
                         entity=self._entity(g.get("entity")) if g.get("entity") else None,
                         attentions_goal=g["attentions_goal"], users_goal=g["users_goal"]) for g in chunk]  # fmt: skip
            CentralGoal.insert_many(rows).on_conflict(
                conflict_target=[CentralGoal.uuid],
                update={f: pw.EXCLUDED[f.column_name] for f in (CentralGoal.version, CentralGoal.year, CentralGoal.month,
                        CentralGoal.entity, CentralGoal.attentions_goal, CentralGoal.users_goal)},
            ).execute()  # fmt: skip

    def _ids(self, model, uuids: set[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(sorted(uuids)):
            found.update(dict(tuples(model.select(model.uuid, model.id).where(model.uuid.in_(chunk)))))
        return found

    def _entity(self, code: str) -> int:
        if code not in self.entities:
            raise PackageRefused(
                _(
                    "El paquete nombra la entidad «{code}», que la base central no conoce: actualice sus datos de referencia."
                ).format(code=code)
            )
        return self.entities[code]

    def _service(self, code: str) -> int:
        if code not in self.services:
            raise PackageRefused(
                _(
                    "El paquete nombra el servicio «{code}», que la base central no conoce: actualice sus datos de referencia."
                ).format(code=code)
            )
        return self.services[code]

    def _placeholders(self, model, uuids: set[str], found: dict[str, int], **values) -> dict[str, int]:
        """Rows (version 0) for records an atención names before their own package arrived."""
        missing = sorted(uuids - set(found))
        for chunk in _chunks(missing):
            model.insert_many(
                [dict(uuid=u, tambo_code=self.code, version=0, **values) for u in chunk]
            ).on_conflict_ignore().execute()
        return {**found, **self._ids(model, set(missing))} if missing else found

    def _attentions(self, rows: list[dict], tambo: CentralTambo) -> None:
        db = current_database()
        people = {a["person"] for a in rows}
        places = {a["community"] for a in rows if a.get("community")}
        person_ids = self._placeholders(CentralPerson, people, self._ids(CentralPerson, people))
        community_ids = self._placeholders(CentralCommunity, places, self._ids(CentralCommunity, places), name="")
        schema.ensure_years(db, {dt.datetime.fromisoformat(a["attended_at"]).year for a in rows})
        self.years |= {dt.datetime.fromisoformat(a["attended_at"]).year for a in rows}
        for chunk in _chunks(rows):
            uuids = [a["uuid"] for a in chunk]
            self._years_of(CentralAttention.uuid.in_(uuids))
            CentralAttention.delete().where(CentralAttention.uuid.in_(uuids)).execute()
            values = [dict(uuid=a["uuid"], tambo_code=self.code, department_code=tambo.department_code, version=a["version"],
                           attended_at=dt.datetime.fromisoformat(a["attended_at"]), place=a["place"],
                           community=community_ids.get(a.get("community")), entity=self._entity(a["entity"]),
                           service=self._service(a["service"]), person=person_ids[a["person"]], voided=a["voided"],
                           void_reason=a.get("void_reason") or "") for a in chunk]  # fmt: skip
            CentralAttention.insert_many(values).execute()

    def _years_of(self, where) -> None:
        """The years of the atenciones ``where`` selects (their counts change)."""
        year = pw.fn.date_part("year", CentralAttention.attended_at)
        self.years |= {
            int(y)
            for (y,) in tuples(
                CentralAttention.select(year).where(where & (CentralAttention.tambo_code == self.code)).distinct()
            )
        }

    def _link(self, uuids: list[str]) -> None:
        """Link this package's people with a DNI to their national person (one per document)."""
        if not uuids:
            return
        db = current_database()
        for chunk in _chunks(uuids):
            params = ", ".join(["%s"] * len(chunk))
            db.execute_sql(
                "INSERT INTO central_national_person (document_type, document_number) "
                f"SELECT DISTINCT document_type, document_number FROM central_person WHERE uuid IN ({params}) "
                "ON CONFLICT (document_type, document_number) DO NOTHING", chunk)  # fmt: skip
            db.execute_sql(
                "UPDATE central_person p SET national_id = n.id FROM central_national_person n "
                "WHERE n.document_type = p.document_type AND n.document_number = p.document_number "
                f"AND p.uuid IN ({params})", chunk)  # fmt: skip
            cursor = db.execute_sql(
                "SELECT COUNT(*) FROM central_person p WHERE p.uuid IN (" + params + ") AND EXISTS ("
                "SELECT 1 FROM central_person o WHERE o.national_id = p.national_id AND o.tambo_code <> p.tambo_code)", chunk)  # fmt: skip
            self.report.linked += int(cursor.fetchone()[0])

    def _tombstones(self) -> None:
        for stone in self.p.tombstones:
            if stone["why"] == "void":  # its record carries it too; the tombstone alone also voids
                self._years_of(CentralAttention.uuid == stone["uuid"])
                CentralAttention.update(voided=True, void_reason=stone.get("reason") or "").where(
                    (CentralAttention.uuid == stone["uuid"])
                    & (CentralAttention.tambo_code == self.code)
                    & (CentralAttention.version <= stone["version"])
                    & (CentralAttention.voided == False)  # noqa: E712
                ).execute()
                self.report.tombstones += 1
                continue
            uuid, kind = stone["uuid"], stone["kind"]
            record = CentralRecord.get_or_none(CentralRecord.uuid == uuid)
            if record is None:
                CentralRecord.create(uuid=uuid, kind=kind, tambo_code=self.code, version=0, digest="", deleted=True, data="{}",
                                     package=self.package_id)  # fmt: skip
            elif record.tambo_code == self.code and not record.deleted:
                CentralRecord.update(deleted=True, package=self.package_id).where(CentralRecord.uuid == uuid).execute()
            if kind == "attention":
                self._years_of(CentralAttention.uuid == uuid)
                CentralAttention.update(voided=True, void_reason=_("Eliminada en el tambo")).where(
                    (CentralAttention.uuid == uuid) & (CentralAttention.tambo_code == self.code)
                ).execute()
            self.report.tombstones += 1


def apply_record(kind: str, tambo_code: str, row: dict, package_id: int) -> set[int]:
    """Put ``row`` (a record of ``tambo_code`` as it arrived) in place of the one kept, as an import
    applies a newer version: ``central_record`` and the typed tables. Returns the years whose counts
    change (for the rollups; the caller recounts them). Used by the review of a conflict."""
    tambo = CentralTambo.get(CentralTambo.code == tambo_code)
    years: set[int] = set()
    if kind == "attention":
        year = pw.fn.date_part("year", CentralAttention.attended_at)
        years |= {
            int(y)
            for (y,) in tuples(CentralAttention.select(year).where(CentralAttention.uuid == row["uuid"]).distinct())
        }
    CentralRecord.update(tambo_code=tambo_code, version=row["version"], digest=_digest(row), deleted=False,
                         data=json.dumps(row, ensure_ascii=False), package=package_id, updated_at=pw.fn.now()).where(
        CentralRecord.uuid == row["uuid"]).execute()  # fmt: skip
    applying = _Import.__new__(_Import)  # the import's own writers, for this one record
    applying.code, applying.package_id, applying.years = tambo_code, package_id, set()
    applying.report = ImportReport(tambo_code, 0)
    applying.entities = dict(tuples(Entity.select(Entity.code, Entity.id)))
    applying.services = dict(tuples(Service.select(Service.code, Service.id)))
    if kind in ("community", "person", "monthly_goal"):  # its typed row may be another tambo's: it moves
        model = {"community": CentralCommunity, "person": CentralPerson, "monthly_goal": CentralGoal}[kind]
        model.update(tambo_code=tambo_code).where(model.uuid == row["uuid"]).execute()
    if kind == "attention":
        CentralAttention.delete().where(CentralAttention.uuid == row["uuid"]).execute()
    applying._typed({kind: [row]}, tambo)
    return years | applying.years


def deleted_uuids() -> set[str]:
    return {u for (u,) in tuples(CentralRecord.select(CentralRecord.uuid).where(CentralRecord.deleted == True))}  # noqa: E712
