"""The desk's service choices count only the period's atenciones, through the date index: on SQLite
the planner used to walk the whole table in service order (0.75 s at each save on five years of
data; the desk's Enter took 1.3 s instead of 74 ms — tests/benchmarks/bench_gui_pages.py)."""

from __future__ import annotations

import logging

import pytest

from tambo_desktop.db.connection import current_database
from tambo_desktop.services.desk import DeskService


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[tuple[str, tuple]] = []

    def emit(self, record: logging.LogRecord) -> None:
        sql, params = record.msg if isinstance(record.msg, tuple) else (str(record.msg), ())
        self.seen.append((sql, tuple(params or ())))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_service_choices_search_the_date_index(admin_session):
    logger = logging.getLogger("peewee")
    handler, level = _Statements(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        choices = DeskService(admin_session).service_choices()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert choices  # the reference data's services
    counting = [(sql, p) for sql, p in handler.seen if "COUNT" in sql and '"attention"' in sql]
    assert len(counting) == 2  # today's and the last 90 days'
    for sql, params in counting:
        plan = " ".join(str(row[-1]) for row in current_database().execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "attention_attended_at_id" in plan and "SCAN" not in plan, plan
