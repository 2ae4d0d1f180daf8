"""Keep the PostgreSQL driver out of start-up when the database is a SQLite file.

peewee imports psycopg when it is itself imported (about a quarter of a second here);
most tambos use SQLite, so peewee is imported with psycopg hidden, and the driver is
plugged into peewee only when a ``postgresql://`` database is opened.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any


def import_peewee_without_psycopg() -> None:
    if "peewee" in sys.modules or "psycopg" in sys.modules:
        return
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # makes `import psycopg` fail inside peewee
    try:
        importlib.import_module("peewee")
    finally:
        del sys.modules["psycopg"]


def enable_psycopg() -> None:
    """Give peewee the psycopg 3 driver (idempotent)."""
    import peewee

    if getattr(peewee, "psycopg", None) is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    module: Any = peewee  # the names peewee looks up at run time, given to it here
    module.psycopg = psycopg
    module.TransactionStatus = TransactionStatus
    module.Json_pg3, module.Jsonb_pg3 = Json, Jsonb
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN
