"""Backups as the people of the tambo use them: who may make, list and restore them, and the audit line.

The storage side (snapshot, verify, rotate, pg_dump) is :mod:`tambo_desktop.db.backups`; putting a
backup in place of the live database is :func:`tambo_desktop.db.lifecycle.restore`.
"""

from __future__ import annotations

import builtins
import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tambo_desktop.db import backups, lifecycle
from tambo_desktop.db.backups import BackupFailed, BackupInfo, InvalidBackup, RestoreNeedsConfirmation
from tambo_desktop.db.models import Person
from tambo_desktop.errors import NotFound, PermissionDenied, TamboError
from tambo_desktop.i18n import _
from tambo_desktop.services.audit import CHAIN_COLUMNS, verify_rows
from tambo_desktop.services.session import Session, system_session

__all__ = [
    "BackupFailed",
    "BackupInfo",
    "BackupService",
    "Purged",
    "InvalidBackup",
    "RestoreNeedsConfirmation",
    "auto_backup_if_due",
    "recover_from_backup",
    "restore_before_setup",
]


def vet_candidate(conn: sqlite3.Connection) -> list[str]:
    """What only an administrator may overrule in a prepared backup: an audit trail that does not verify."""
    columns = ", ".join(CHAIN_COLUMNS)
    chain = verify_rows(conn.execute(f"SELECT {columns} FROM audit_entry ORDER BY id"))
    if chain.ok:
        return []
    return [
        _(
            "Su auditoría no se verifica (alterada en la línea {id}): la copia pudo modificarse después de hacerse."
        ).format(id=chain.first_bad_id)
    ]


@dataclass(frozen=True)
class Purged:
    """A purge of the backups that held an anonymised person: the verified backup made first (so
    the day still has one, without the person), and the files deleted."""

    fresh: BackupInfo
    deleted: builtins.list[Path]


def _person(person_id: int) -> Person:
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise NotFound(_("La persona ya no está registrada."))
    return person


class BackupService:
    """Make, copy, list and restore backups for the signed-in user."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _audit(self, summary: str, action: str = "backup") -> None:
        with self.session.write():
            self.session.audit(action, "database", summary=summary)

    def create(self, now: dt.datetime | None = None) -> BackupInfo:
        """“Back up now”: a verified backup in the backup folder (the folder is rotated); ``now`` is UTC."""
        self.session.require("backup.create")
        info = backups.backup_now("manual", now=now)
        self._audit(_("Copia de seguridad verificada: {file}").format(file=info.path.name))
        return info

    def copy_to(self, folder: Path | str) -> BackupInfo:
        """“Copy to a USB drive…”: a fresh verified backup written to ``folder`` and read back there."""
        self.session.require("backup.create")
        info = backups.copy_to(folder)
        self._audit(
            _("Copia de seguridad verificada en {folder}: {file}").format(folder=Path(folder), file=info.path.name)
        )
        return info

    def list(self, folder: Path | str | None = None) -> builtins.list[BackupInfo]:
        """The backups of the backup folder (or ``folder``), newest first."""
        self.session.require("backup.list")
        return backups.list_backups(folder)

    def holding(self, person_id: int) -> builtins.list[BackupInfo]:
        """The backups of the backup folder that still hold the person (their row not anonymised,
        or their values in the audit trail), newest first: shown when anonymising. A backup that
        cannot be read is listed too (it may hold them). Copies outside the folder (USB drives)
        cannot be seen from here."""
        self.session.require("persons.anonymize")
        subject = _person(person_id).uuid
        found = []
        for info in backups.list_backups():
            try:
                if backups.holds_person(info.path, subject):
                    found.append(info)
            except InvalidBackup:
                found.append(info)
        return found

    def purge_holding(self, person_id: int, now: dt.datetime | None = None) -> Purged:
        """Delete the backups that still hold an anonymised person (administrators; audited).

        A verified backup is made first, and nothing is deleted if it fails: the day's only verified
        backup is never deleted without one taking its place. The new one does not hold the person."""
        self.session.require("backup.purge")
        person = _person(person_id)
        if not person.anonymized:
            raise TamboError(
                _(
                    "Anonimice primero a la persona: mientras sus datos estén en la base de datos, cada copia nueva los tendrá."
                )
            )
        old = self.holding(person_id)
        fresh = backups.backup_now("manual", now=now)
        if backups.holds_person(fresh.path, person.uuid):
            raise TamboError(_("La copia nueva {file} todavía tiene los datos de la persona: no se borró ninguna copia.").format(
                file=fresh.path.name))  # fmt: skip
        deleted = []
        for info in old:  # the new backup's rotation may have deleted some already: gone all the same
            if info.path == fresh.path:
                continue
            if info.path.exists():
                backups.delete_backup(info.path)
            deleted.append(info.path)
        self._audit(
            _(
                "Borradas {n} copias de seguridad que aún tenían los datos de una persona anonimizada; antes se hizo la copia verificada {file}"
            ).format(n=len(deleted), file=fresh.path.name),
            action="delete",
        )
        return Purged(fresh, deleted)

    def restore(self, path: Path | str, confirmed: bool = False) -> BackupInfo:
        """Put the backup ``path`` in place of the current data; returns the "pre-restore" backup taken first.

        A backup of another tambo, without a tambo, or whose audit trail does not verify raises
        :class:`RestoreNeedsConfirmation`; with ``confirmed`` (the administrator said yes to those
        reasons) it is restored and the reasons go into the audit line.
        """
        self.session.require("backup.restore")
        info, pre, reasons = lifecycle.restore(path, vet_candidate, confirmed)
        _record_restore(
            Session(self.session.user, system_session().tambo_code or self.session.tambo_code), info, pre, reasons
        )
        return pre


def _record_restore(session: Session, info: BackupInfo, pre: BackupInfo | None, reasons: builtins.list[str]) -> None:
    if pre is not None:
        summary = _("Restaurada la copia {file}; el estado anterior quedó en {previous}").format(
            file=info.path.name, previous=pre.path.name
        )
    else:
        summary = _("Base de datos recuperada desde la copia {file}").format(file=info.path.name)
    if reasons:
        summary += " " + _("Confirmado por el administrador: {reasons}").format(reasons=" ".join(reasons))
    with session.write():
        session.audit("restore", "database", summary=summary)


def recover_from_backup(url: str, backup_path: Path | str, confirmed: bool = False) -> BackupInfo:
    """Start-up recovery (no one is signed in yet): the backup put where the database was, and audited.

    A backup whose audit trail does not verify (or of no tambo) needs ``confirmed`` (the CLI's
    ``restore --confirm``, run by whoever holds the PC's account); the reasons are audited.
    """
    info, reasons = lifecycle.recover_from_backup(url, backup_path, vet_candidate, confirmed)
    _record_restore(system_session(), info, None, reasons)
    return info


def restore_before_setup(path: Path | str) -> BackupInfo:
    """Restore into a database where no tambo is set up yet (nothing there to protect; no one can sign in)."""
    from tambo_desktop.services import setup

    if setup.is_initialized():
        raise PermissionDenied(_("Este tambo ya está configurado: solo un administrador restaura una copia."))
    info, pre, reasons = lifecycle.restore(path, vet_candidate, confirmed=True)  # nothing here to protect
    _record_restore(system_session(), info, pre, reasons)
    return pre


def auto_backup_if_due() -> BackupInfo | None:
    """The day's automatic backup when it is due (no permission: the application itself takes it)."""
    return backups.auto_backup_if_due()
