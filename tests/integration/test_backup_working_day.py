"""Backups on a working day: the day's automatic backup is never rotated away by the manual ones
a clerk makes later that day (issue 14, part 9)."""

from __future__ import annotations

import datetime as dt

import pytest

from tambo_desktop import paths
from tambo_desktop.db import backups as backup
from tambo_desktop.db.connection import close_database, open_database


@pytest.fixture
def tiny_db(tmp_path, monkeypatch):
    """A small TAMBO-like database, so that many real backups are quick."""
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    db = open_database(f"sqlite:///{tmp_path / 'tiny.db'}")
    db.execute_sql("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
    db.execute_sql("CREATE TABLE audit_entry (id INTEGER PRIMARY KEY, action TEXT)")
    db.execute_sql("INSERT INTO schema_version VALUES (4, 'audit trail', '2024-01-01')")
    yield db
    close_database()


def test_manual_backups_later_in_the_day_keep_the_days_automatic_one(tiny_db):
    days = [dt.datetime(2026, 3, 2, 13, 0) + dt.timedelta(days=d) for d in range(10)]  # 08:00 in Lima
    for day in days:
        tiny_db.execute_sql("INSERT INTO audit_entry (action) VALUES ('create')")
        backup.backup_now("daily", now=day)
        for hour in (2, 4, 6):  # the clerk backs up by hand at 10:00, 12:00 and 14:00
            tiny_db.execute_sql("INSERT INTO audit_entry (action) VALUES ('create')")
            backup.backup_now("manual", now=day + dt.timedelta(hours=hour))
    infos = backup.list_backups()
    dailies = sorted(i.created_at for i in infos if i.kind == "daily")
    # the automatic backup of each of the last 7 days is still there, with the day's newest manual one
    assert dailies[-7:] == days[-7:]
    for day in days[-7:]:
        assert any(i.kind == "manual" and i.created_at == day + dt.timedelta(hours=6) for i in infos)
    assert all(i.verified for i in infos)
