"""``durability.py fuzz``: damaged import files through the services (run in $TAMBO_HOME's demo tambo).

Every file is either imported whole or refused with a message (a ``TamboError``); a refused file
leaves the tables and the audit trail exactly as they were; anything else is counted as a traceback.
"""

from __future__ import annotations

import random
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from tambo_desktop import paths
from tambo_desktop.db.connection import current_database
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.errors import TamboError
from tambo_desktop.formats.communities import HEADER as COMMUNITY_HEADER
from tambo_desktop.formats.communities import import_file
from tambo_desktop.formats.persons import PERSON_HEADER, import_persons
from tambo_desktop.formats.tabular import write_table
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.persons import PersonService
from tambo_desktop.services.session import system_session

TABLES = ("person", "community", "leader", "audit_entry")


def _counts() -> tuple[int, ...]:
    db = current_database()
    return tuple(db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES)


def _person_rows(rng: random.Random, n: int) -> list[list[str]]:
    rows = []
    for _ in range(n):
        rows.append([
            "DNI", f"{rng.randint(20_000_000, 79_999_999)}", rng.choice(["Juana", "Mario", "Rosa Elena", "Teófilo"]),
            rng.choice(["Quispe", "Mamani", "Ccama"]), rng.choice(["Apaza", "Huamán", ""]), rng.choice("FM"),
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1940, 2020)}", "", "quechua",
            f"9{rng.randint(10_000_000, 99_999_999)}", rng.choice(["", "vive lejos", "notas, con coma"]),
        ])  # fmt: skip
    return rows


def _community_rows(rng: random.Random, n: int) -> list[list[str]]:
    rows = []
    for i in range(n):
        row = [""] * len(COMMUNITY_HEADER)
        values = {"centro_poblado": f"Fuzz {rng.randint(0, 10**6)} {i}", "ubigeo": "210102", "tipo": "anexo",
                  "poblacion": str(rng.randint(10, 900))}  # fmt: skip
        for name, value in values.items():
            if name in COMMUNITY_HEADER:
                row[COMMUNITY_HEADER.index(name)] = value
        rows.append(row)
    return rows


def _mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    choice = rng.randrange(9)
    if choice == 0 and data:  # bytes flipped
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif choice == 1 and data:  # cut short
        del data[rng.randrange(len(data)) :]
    elif choice == 2:  # a NUL byte
        data.insert(rng.randrange(len(data) + 1), 0)
    elif choice == 3:  # an unquoted comma (a cell too many)
        lines = bytes(data).split(b"\n")
        k = rng.randrange(len(lines))
        lines[k] = lines[k] + b",extra"
        data = bytearray(b"\n".join(lines))
    elif choice == 4:  # a cell removed
        lines = bytes(data).split(b"\n")
        k = rng.randrange(len(lines))
        lines[k] = lines[k].rsplit(b",", 1)[0]
        data = bytearray(b"\n".join(lines))
    elif choice == 5:  # another encoding
        data = bytearray(
            bytes(data).decode("utf-8", "replace").encode(rng.choice(["latin-1", "utf-16", "cp1252"]), "replace")
        )
    elif choice == 6:  # a huge cell
        at = rng.randrange(len(data) + 1)
        data[at:at] = b"x" * rng.choice([10_000, 1_000_000])
    elif choice == 7:  # quotes out of balance
        data.insert(rng.randrange(len(data) + 1), ord('"'))
    else:  # random garbage
        data = bytearray(rng.randbytes(rng.randint(0, 4000)))
    return bytes(data)


def _one_file(rng: random.Random, folder: Path, n: int) -> tuple[Path, Callable[[Path], object]]:
    persons = rng.random() < 0.6
    header = list(PERSON_HEADER if persons else COMMUNITY_HEADER)
    rows = _person_rows(rng, rng.randint(1, 40)) if persons else _community_rows(rng, rng.randint(1, 20))
    fmt = "xlsx" if rng.random() < 0.3 else "csv"
    path = folder / f"f{n}.{fmt}"
    if fmt == "xlsx" and rng.random() < 0.5:  # damaged structure: cells of the wrong kind and count
        for row in rows:
            if rng.random() < 0.3:
                row.append(rng.choice(["extra", "=1+1", "@SUM(A1)"]))
            if rng.random() < 0.2 and row:
                row[rng.randrange(len(row))] = rng.choice(["", "x" * 40_000, "31/02/2020", "-5"])
        write_table(path, header, rows, "xlsx")
    else:
        write_table(path, header, rows, fmt)
        path.write_bytes(_mutate_bytes(rng, path.read_bytes()))
    if persons:
        return path, lambda p: import_persons(PersonService(system_session()), p)
    return path, lambda p: import_file(CommunityService(system_session()), p)


def main(files: int, seed: int) -> int:
    prepare(paths.default_database_url(), daily_backup=False)
    rng = random.Random(seed)
    imported = refused = tracebacks = partial = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tambo-fuzz-files-") as scratch:
        for n in range(files):
            path, run = _one_file(rng, Path(scratch), n)
            before = _counts()
            try:
                run(path)
            except TamboError as exc:
                refused += 1
                if _counts() != before or not str(exc).strip():
                    partial += 1
                    print(f"file {n}: refused but the tables changed or no message: {exc}")
            except Exception:
                tracebacks += 1
                print(f"file {n}: traceback\n{traceback.format_exc()}")
            else:
                imported += 1
            path.unlink()
    print(
        f"{files} damaged import files through the services, {time.perf_counter() - started:.0f} s: "
        f"{imported} imported whole, {refused} refused with a message, {partial} partial writes, {tracebacks} tracebacks"
    )
    return 0 if tracebacks == 0 and partial == 0 else 1
