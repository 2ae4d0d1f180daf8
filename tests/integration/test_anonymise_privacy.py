"""Issue 15.5, privacy that holds: an anonymised person leaves no identifying value in the audit
trail, its export, the database file (and its WAL) or a later backup, while the chain still
verifies; the older backups that still hold the person are listed exactly and can be purged; lines
written before migration 18 are moved to the token form by the migration itself."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import peewee as pw
import pytest

from tambo_desktop.db import backups, keys, migrations, personal
from tambo_desktop.db.connection import close_database, current_database, open_database
from tambo_desktop.db.models import AuditEntry, AuditValue, Person, Service
from tambo_desktop.errors import TamboError
from tambo_desktop.formats.tabular import read_table
from tambo_desktop.services import audit
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.audit import AuditFilter, AuditService
from tambo_desktop.services.backups import BackupService
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.rights import RightsService
from tambo_desktop.services.session import CurrentUser, Session

TODAY = dt.date(2025, 3, 31)
DNI = "40981726"
SURNAME = "Wankarayupanki"
OLD_SURNAME = "Qhispikancha"
PHONE = "962740351"
SECRETS = (DNI, SURNAME, OLD_SURNAME, PHONE, "Eleuteria")


def _person(admin_session) -> int:
    people = PersonService(admin_session)
    pid = people.save(
        PersonForm("dni", DNI, "Eleuteria", OLD_SURNAME, "Ttito", "F", "1961-07-02", phone=PHONE), today=TODAY
    )
    people.save(PersonForm("dni", DNI, "Eleuteria", SURNAME, "Ttito", "F", "1961-07-02", phone=PHONE,
                           version=people.get(pid).version), pid, today=TODAY)  # fmt: skip
    service = Service.get(Service.code == "minsa_vaccination_influenza").id
    AttentionService(admin_session).record(pid, [service], "inside", attended_at=dt.datetime(2025, 3, 3, 9))
    return pid


def _audit_text() -> str:
    rows = AuditEntry.select(AuditEntry.username, AuditEntry.summary, AuditEntry.changes).tuples()
    values = AuditValue.select(AuditValue.value).tuples()
    return json.dumps([list(rows), list(values)], ensure_ascii=False)


def _holds(path: Path, *secrets: str) -> set[str]:
    data = path.read_bytes() if path.exists() else b""
    return {s for s in secrets if s.encode("utf-8") in data}


def test_the_trail_keeps_tokens_and_shows_the_values(admin_session):
    pid = _person(admin_session)
    uuid = Person.get_by_id(pid).uuid
    stored = list(AuditEntry.select().where(AuditEntry.record_uuid == uuid).order_by(AuditEntry.id))
    assert all(s not in e.summary + e.changes for e in stored for s in SECRETS)  # only tokens in the lines
    assert personal.count(uuid) >= 6
    history = PersonService(admin_session).history(pid)
    assert history[-1].summary == f"Eleuteria {OLD_SURNAME} Ttito"
    assert history[-1].changes["document_number"] == [None, DNI]
    assert history[0].changes["last_name_1"] == [OLD_SURNAME, SURNAME]
    assert [r.id for r in AuditService(admin_session).list(AuditFilter(text=SURNAME))] == [history[0].id]
    assert audit.verify_chain().ok


def test_anonymise_erases_the_trail_values_and_the_chain_still_verifies(admin_session, tmp_path):
    pid = _person(admin_session)
    RightsService(admin_session).export(pid, tmp_path / f"Eleuteria_{SURNAME}.json")  # a file named after her
    before = audit.verify_chain()
    done = PersonService(admin_session).anonymize(pid)
    assert done.erased_values >= 6
    assert SURNAME not in _audit_text() and DNI not in _audit_text() and PHONE not in _audit_text()
    after = audit.verify_chain()
    assert after.ok and after.entries == before.entries + 1
    assert audit.check_anchor().ok
    history = PersonService(admin_session).history(pid)
    assert history[-1].changes["document_number"] == [None, "(borrado por anonimización)"]
    out = tmp_path / "auditoria.csv"
    AuditService(admin_session).export(out)
    text = out.read_text(encoding="utf-8")
    assert not _holds(out, *SECRETS) and "(borrado por anonimización)" in text
    header, rows = read_table(out)
    assert len(rows) == after.entries and header[6] == "resumen"


def test_a_value_changed_behind_the_application_breaks_the_check(admin_session):
    pid = _person(admin_session)
    uuid = Person.get_by_id(pid).uuid
    AuditValue.update(value=json.dumps("01234567")).where(AuditValue.subject == uuid).execute()
    broken = audit.verify_chain()
    assert not broken.ok
    assert (
        broken.first_bad_id
        == AuditEntry.select(pw.fn.MIN(AuditEntry.id)).where(AuditEntry.record_uuid == uuid).scalar()
    )


def test_the_listed_backups_are_exactly_those_holding_the_person(admin_session, backend):
    service = BackupService(admin_session)
    before = backups.backup_now("manual", now=dt.datetime(2025, 3, 1, 8))
    pid = _person(admin_session)
    held = [
        backups.backup_now("manual", now=dt.datetime(2025, 3, 2, 8)),
        backups.backup_now("manual", now=dt.datetime(2025, 3, 3, 8)),
    ]
    PersonService(admin_session).anonymize(pid)
    after = backups.backup_now("manual", now=dt.datetime(2025, 3, 4, 8))
    listed = {info.path for info in service.holding(pid)}
    assert listed == {info.path for info in held}
    assert before.path not in listed and after.path not in listed
    if backend == "sqlite":  # the bytes themselves: a SQLite backup is one plain file
        assert {p for p in (before.path, *[h.path for h in held], after.path) if _holds(p, DNI)} == listed
        assert not _holds(after.path, *SECRETS)
    purged = service.purge_holding(pid)
    assert set(purged.deleted) == listed and purged.fresh.path.exists()
    assert not any(p.exists() or backups.manifest_path(p).exists() for p in listed)
    assert service.holding(pid) == []
    assert backups.verify_backup(purged.fresh.path).verified
    line = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (line.action, line.entity, line.username) == ("delete", "database", "admin")
    assert f"Borradas {len(listed)} copias" in line.summary and purged.fresh.path.name in line.summary


def test_purging_a_person_not_anonymised_is_refused_and_deletes_nothing(admin_session):
    pid = _person(admin_session)
    made = backups.backup_now("manual")
    with pytest.raises(TamboError, match="Anonimice primero"):
        BackupService(admin_session).purge_holding(pid)
    assert made.path.exists()


def test_the_database_file_and_its_wal_lose_the_values(admin_session, backend):
    """Python's SQLite on Windows deletes without zeroing (Debian's is built with secure delete):
    the connection is put in that state first, so the test holds for both builds."""
    if backend != "sqlite":
        pytest.skip("a server's files are its own (see docs/SECURITY.md)")
    db = current_database()
    db.execute_sql("PRAGMA secure_delete = OFF")
    db.execute_sql("PRAGMA wal_autocheckpoint = 0")  # the person's pages stay in the WAL until anonymisation
    pid = _person(admin_session)
    file = Path(db.database)
    wal = file.with_name(file.name + "-wal")
    assert _holds(file, DNI, SURNAME) | _holds(wal, DNI, SURNAME) == {DNI, SURNAME}  # the control
    done = PersonService(admin_session).anonymize(pid)
    assert done.scrubbed
    assert _holds(file, *SECRETS) == set() and _holds(wal, *SECRETS) == set()
    assert int(db.execute_sql("PRAGMA secure_delete").fetchone()[0]) == 0  # as it was, for the other work
    fresh = backups.backup_now("manual")
    assert _holds(fresh.path, *SECRETS) == set()
    assert audit.verify_chain().ok


# -- migration 18 on a real pre-18 database -------------------------------------------------------


def _old_line(db: pw.Database, line_id: int, prev: str, scheme: int, action: str, entity: str, record_uuid: str, summary: str,
              changes: dict) -> str:  # fmt: skip
    """A line as services/audit.py wrote it before migration 18: the values in clear."""
    at = dt.datetime(2025, 3, 1, 8, line_id)
    text = json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str) if changes else ""
    uuid = f"00000000-0000-4000-8000-{line_id:012d}"
    if scheme == 1:
        digest = audit._digest(prev, at, "admin", action, entity, record_uuid, summary, text)
    else:
        digest = audit._keyed_digest(keys.installation_key(), line_id, uuid, "T-1", at, "admin", action, entity, record_uuid, summary,
                                     text, prev)  # fmt: skip
    p = db.param
    db.execute_sql(
        'INSERT INTO "audit_entry" ("id", "uuid", "tambo_code", "at", "username", "action", "entity", "record_uuid", "summary", '
        f'"changes", "prev_hash", "hash", "scheme") VALUES ({", ".join([p] * 13)})',
        (line_id, uuid, "T-1", at, "admin", action, entity, record_uuid, summary, text, prev, digest, scheme),
    )  # fmt: skip
    return digest


def _pre_18(url: str, tamper: bool = False) -> dict:
    db = open_database(url)
    migrations.migrate(db, target=17)
    assert migrations.current_version(db) == 17
    now = dt.datetime(2025, 3, 1, 8)
    person = dict(tambo_code="T-1", created_at=now, created_by="admin", updated_at=now, updated_by="admin", document_type="dni",
                  first_names="Eleuteria", last_name_2="Ttito", sex="F", birth_date=dt.date(1961, 7, 2), phone=PHONE)  # fmt: skip
    kept = Person.insert(uuid="11111111-1111-4111-8111-111111111111", document_number=DNI, last_name_1=SURNAME,
                         name_key="x", **person).execute()  # fmt: skip
    removed_uuid = "22222222-2222-4222-8222-222222222222"
    kept_uuid = "11111111-1111-4111-8111-111111111111"
    name = f"Eleuteria {SURNAME} Ttito"
    prev = "0" * 64
    lines = [
        (1, "create", "person", kept_uuid, f"Eleuteria {OLD_SURNAME} Ttito",
         {"document_number": [None, DNI], "first_names": [None, "Eleuteria"], "last_name_1": [None, OLD_SURNAME], "phone": [None, PHONE],
          "birth_date": [None, "1961-07-02"], "sex": [None, "F"]}),
        (2, "update", "person", kept_uuid, name, {"last_name_1": [OLD_SURNAME, SURNAME]}),
        (3, "create", "person", removed_uuid, "Eleuteria Wankara", {"first_names": [None, "Eleuteria"], "last_name_1": [None, "Wankara"]}),
        (4, "update", "attention", "33333333-3333-4333-8333-333333333333", f"atención pasada a {name}", {"person": [99, kept]}),
        (5, "delete", "person", removed_uuid, f"fusionada con {name}", {"first_names": ["Eleuteria", None], "last_name_1": ["Wankara", None]}),
        (6, "merge", "person", kept_uuid, f"Eleuteria Wankara fusionada en {name}; 1 atenciones movidas", {"person": [removed_uuid, kept_uuid]}),
        (7, "login", "user", "", "", {}),
        (8, "export", "person", kept_uuid, f"todos los datos de la persona (PDF) a Eleuteria_{SURNAME}.pdf", {}),
    ]  # fmt: skip
    hashes = {}
    for line_id, action, entity, record_uuid, summary, changes in lines:
        prev = hashes[line_id] = _old_line(
            db, line_id, prev, 1 if line_id == 1 else 2, action, entity, record_uuid, summary, changes
        )
    if isinstance(db, pw.PostgresqlDatabase):  # the ids came from the sequence (services/audit.py _next_id)
        db.execute_sql("SELECT setval(pg_get_serial_sequence('audit_entry', 'id'), 8)")
    if tamper:  # line 3 edited after it was written: its hash no longer matches
        db.execute_sql(f'UPDATE "audit_entry" SET "summary" = {db.param} WHERE "id" = 3', ("Eleuteria Wankara Ccori",))
    return {"db": db, "hashes": hashes, "kept": kept, "kept_uuid": kept_uuid}


@pytest.mark.parametrize("tamper", [False, True], ids=["sound", "tampered"])
def test_migration_18_moves_the_old_values_and_keeps_the_chain(empty_url, tamper):
    made = _pre_18(empty_url, tamper)
    db = made["db"]
    migrations.migrate(db)
    assert migrations.current_version(db) == migrations.LATEST_VERSION and not migrations.pending(db)
    assert {e.id: e.hash for e in AuditEntry.select()} == made["hashes"]  # the links stay as they were
    lines = " ".join(e.summary + e.changes for e in AuditEntry.select())
    assert not any(s in lines for s in (*SECRETS, "Wankara")), lines
    chain = audit.verify_chain()
    assert (chain.ok, chain.first_bad_id) == ((False, 3) if tamper else (True, None))
    sealed = {e.id for e in AuditEntry.select().where(AuditEntry.seal != "")}
    assert sealed == ({1, 2} if tamper else {1, 2, 3, 4, 5, 6, 8})  # line 7 has no personal value
    # every value of the merged person went to the kept one: anonymising erases them all
    assert {v.subject for v in AuditValue.select()} == {made["kept_uuid"]}
    session = Session(CurrentUser(1, "admin", "Admin", "admin", "es"), "T-1")
    PersonService(session).anonymize(made["kept"])
    assert AuditValue.select().count() == 0
    after = audit.verify_chain()
    assert (after.ok, after.first_bad_id) == ((False, 3) if tamper else (True, None))
    rows = AuditService(session).list()
    assert "(borrado por anonimización)" in rows[-1].summary
    close_database()


def test_a_database_made_at_19_without_18_gets_18(empty_url):
    db = open_database(empty_url)
    migrations.migrate(db, target=17)
    nineteen = next(m for m in migrations.MIGRATIONS if m.version == 19)
    with db.atomic():
        nineteen.apply(db)
        db.execute_sql(f"INSERT INTO schema_version (version, name, applied_at) VALUES ({db.param}, {db.param}, {db.param})",
                       (19, nineteen.name, dt.datetime(2025, 3, 1)))  # fmt: skip
    assert migrations.current_version(db) == 19
    pending = [m.version for m in migrations.pending(db)]
    assert pending[0] == 18 and 19 not in pending  # 18 first, then any newer one (20…), never 19 again
    applied = migrations.migrate(db)
    assert applied == pending
    assert db.table_exists("audit_value") and "seal" in {c.name for c in db.get_columns("audit_entry")}
    close_database()


def test_the_audit_filter_takes_the_tambos_days_not_utc_days(admin_session):
    """The trail keeps UTC; its dates filter is the tambo's days. A line written at 20:30 in Lima
    on 7 December (01:30 UTC on the 8th) is a line of the 7th: an export «--to today» made that
    evening left it out."""
    service = AuditService(admin_session)
    service_row = Service.select().first()
    with admin_session.write():
        admin_session.audit("update", "service", service_row.uuid, summary="tarde en Lima")
    line = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    AuditEntry.update(at=dt.datetime(2026, 12, 8, 1, 30)).where(AuditEntry.id == line.id).execute()
    seventh = [r.id for r in service.list(AuditFilter(date_from=dt.date(2026, 12, 7), date_to=dt.date(2026, 12, 7)))]
    eighth = [r.id for r in service.list(AuditFilter(date_from=dt.date(2026, 12, 8), date_to=dt.date(2026, 12, 8)))]
    assert line.id in seventh and line.id not in eighth
