"""`export attentions` of five years against a raw sqlite3 cursor writing the same CSV (issue 14: ≤ 4×).

Run: .venv/bin/python tests/benchmarks/bench_export.py [--runs 3] [--format csv|xlsx]

On a private copy of the large demo database (500,000 atenciones over five years), signed in as the
administrator: ``formats.persons.export_attentions`` over the whole period (the same function the
CLI's ``export attentions`` and the window call), against the floor measured in the same run — one
plain sqlite3 cursor over the same joins, written by ``csv.writer`` with the same columns computed in
plain Python (labels from dicts, the age from the birth date). The two files are compared: same rows.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_db import large_demo_database, working_copy  # noqa: E402

TARGET = 4.0

RAW = """
SELECT a.attended_at, a.uuid, a.tambo_code, a.place, e.code, e.sector, e.level, s.name, c.name, c.district_id,
       p.id, p.uuid, p.document_type, p.document_number, p.sex, p.birth_date, p.anonymized, p.opposition
FROM attention a JOIN person p ON a.person_id = p.id JOIN entity e ON a.entity_id = e.id
JOIN service s ON a.service_id = s.id LEFT JOIN community c ON a.community_id = c.id
WHERE a.voided = 0 AND a.attended_at >= ? AND a.attended_at < ?
ORDER BY a.attended_at, a.id
"""


def raw_export(db_file: Path, out: Path, start: dt.date, end: dt.date) -> int:
    """The floor: the same rows and columns by a bare cursor and csv.writer."""
    from tambo_desktop.db.models import Tambo
    from tambo_desktop.formats.persons import ATTENTION_HEADER, PLACE_WORDS
    from tambo_desktop.i18n import use_language
    from tambo_desktop.services.indicators import AGE_GROUP_STARTS, UNKNOWN
    from tambo_desktop.vocabulary import AGE_GROUPS, DOCUMENT_TYPES, GOVERNMENT_LEVELS, SECTORS, label

    tambo = Tambo.select().first()
    home = (tambo.centro_poblado, tambo.district_id) if tambo else ("", "")
    with use_language("es"):
        sectors = {k: label(SECTORS, k) for k in SECTORS}
        levels = {k: label(GOVERNMENT_LEVELS, k) for k in GOVERNMENT_LEVELS}
        documents = {k: label(DOCUMENT_TYPES, k) for k in DOCUMENT_TYPES}
        groups = {k: label(AGE_GROUPS, k) for k in AGE_GROUPS}
    starts = AGE_GROUP_STARTS
    conn = sqlite3.connect(db_file)
    reserved: dict[int, str] = {}
    n = 0
    lo, hi = f"{start.isoformat()} 00:00:00", f"{(end + dt.timedelta(days=1)).isoformat()} 00:00:00"
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ATTENTION_HEADER)
        for at, a_uuid, code, place, entity, sector, level, service, c_name, c_dist, pid, p_uuid, doc_type, doc, sex, birth, anon, opp in conn.execute(RAW, (lo, hi)):  # fmt: skip
            day = at[:10]
            if opp:
                key, number = reserved.setdefault(pid, f"reservado-{len(reserved) + 1}"), ""
            else:
                key, number = p_uuid, "" if anon else (doc or "")
            if birth:
                age = (int(day[:4] + day[5:7] + day[8:10]) - int(birth[:4] + birth[5:7] + birth[8:10])) // 10000
                group = starts[0][0]
                for g, s in starts:
                    if age >= s:
                        group = g
            else:
                age, group = "", UNKNOWN
            where = (c_name, c_dist) if c_name is not None else home
            writer.writerow([day, at[11:16], code, entity, sectors.get(sector, sector), levels.get(level, level),
                             service, PLACE_WORDS.get(place, place), where[0], where[1], key,
                             documents.get(doc_type, doc_type), number, sex, age, groups[group], a_uuid])  # fmt: skip
            n += 1
    conn.close()
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", default="csv", choices=["csv", "xlsx"])
    args = parser.parse_args()
    cached = large_demo_database()
    with tempfile.TemporaryDirectory(prefix="tambo-bench-export-") as folder:
        db_file = working_copy(cached, Path(folder))
        from tambo_desktop.db.connection import open_database
        from tambo_desktop.db.models import Attention, Tambo
        from tambo_desktop.demo.build import DEMO_PASSWORD
        from tambo_desktop.formats.persons import export_attentions
        from tambo_desktop.services import accounts
        from tambo_desktop.services.session import Session

        open_database(f"sqlite:///{db_file}")
        session = Session(accounts.authenticate("admin", DEMO_PASSWORD), Tambo.get().code)
        first = Attention.select(Attention.attended_at).order_by(Attention.attended_at).first().attended_at.date()
        last = Attention.select(Attention.attended_at).order_by(Attention.attended_at.desc()).first().attended_at.date()
        ours_out, raw_out = Path(folder) / f"ours.{args.format}", Path(folder) / "raw.csv"
        ours, floor = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            written = export_attentions(session, ours_out, first, last, args.format)
            ours.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            raw_rows = raw_export(db_file, raw_out, first, last)
            floor.append(time.perf_counter() - t0)
        assert written == raw_rows, (written, raw_rows)
        if args.format == "csv":
            assert ours_out.read_bytes() == raw_out.read_bytes(), "the two CSV files differ"
        mine, bare = statistics.median(ours), statistics.median(floor)
        verdict = "ok" if mine <= TARGET * bare else "MISSED"
        print(f"large demo, {first} to {last}: {written:,} atenciones, median of {args.runs}")
        print(f"floor: a raw sqlite3 cursor writing the same CSV {bare:.2f} s")
        print(f"export attentions --format {args.format}: {mine:.2f} s, {mine / bare:.2f}× the floor "
              f"(target ≤ {TARGET:.0f}×) {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
