"""Bring a database to the current schema: pre-migration backup, migrations, reference data."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import peewee as pw

from tambo_desktop import paths
from tambo_desktop.db import migrations
from tambo_desktop.db.connection import open_database
from tambo_desktop.db.models import utcnow
from tambo_desktop.db.reference import load_reference_data

log = logging.getLogger(__name__)


def backup_sqlite(db: pw.SqliteDatabase, target: Path) -> Path:
    """Copy a live SQLite database with the online backup API and check the copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".part")
    source = sqlite3.connect(db.database)
    try:
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
            ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dest.close()
    finally:
        source.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise OSError(f"backup failed integrity check: {ok}")
    tmp.replace(target)
    return target


def prepare(url: str) -> pw.Database:
    """Open ``url``, migrate it (after a backup when it already holds data) and load reference data."""
    db = open_database(url)
    todo = migrations.pending(db)
    if todo and migrations.current_version(db) > 0 and isinstance(db, pw.SqliteDatabase):
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        name = f"pre-migration-v{migrations.current_version(db)}-{stamp}.db"
        backup_sqlite(db, paths.backups_dir() / name)
    if todo:
        migrations.migrate(db)
    load_reference_data(db)
    return db
