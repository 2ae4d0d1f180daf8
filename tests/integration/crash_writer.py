"""Writes realistic records until killed; prints a line after each confirmed commit.

Run by test_crash_safety.py as a separate process that is SIGKILLed at random moments.
"""

from __future__ import annotations

import os
import sys

from tambo_desktop import paths
from tambo_desktop.db.lifecycle import prepare
from tambo_desktop.services.communities import (
    CommunityForm,
    CommunityService,
    LeaderForm,
    parse_community,
    parse_leader,
)
from tambo_desktop.services.session import system_session


def main() -> None:
    prepare(paths.default_database_url())
    service = CommunityService(system_session())
    tag = f"{os.getpid()}"
    for i in range(100_000):
        name = f"Crash {tag} {i}"
        community = parse_community(
            CommunityForm(name=name, district="210102", kind="anexo", population=str(100 + i), notes="x" * 300)
        )
        leaders = [
            parse_leader(LeaderForm(name=f"Dirigente {n} {name}", role="otro", phone="951000111")) for n in (1, 2)
        ]
        with service.session.write():  # one user action: the community and its two leaders
            community_id = service._store(community.values, None)
            for leader in leaders:
                service._store_leader(community_id, leader.values, None)
        print(f"confirmed {name}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
