"""Peru's districts (ubigeo), for pickers with search."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from tambo_desktop.db.models import Department, District, Province
from tambo_desktop.db.sql import tuples
from tambo_desktop.text import search_key


@dataclass(frozen=True)
class DistrictChoice:
    code: str
    name: str
    province: str
    department: str

    @property
    def label(self) -> str:
        return f"{self.name} — {self.province}, {self.department} ({self.code})"


def all_districts() -> list[DistrictChoice]:
    query = (
        District.select(District.code, District.name, Province.name, Department.name)
        .join(Province)
        .join(Department)
        .order_by(District.name, District.code)
    )
    return [DistrictChoice(*row) for row in tuples(query)]


def search(text: str, limit: int = 50) -> list[DistrictChoice]:
    """Districts whose name, province, department or ubigeo contain every word of ``text``."""
    words = search_key(text).split()
    query = District.select(District.code)
    for word in words:
        query = query.where(District.search_key.contains(word))
    codes = {c for (c,) in tuples(query.limit(limit))}
    return [d for d in all_districts() if d.code in codes]


def ranked(choices: list[DistrictChoice], text: str, limit: int = 50) -> list[DistrictChoice]:
    """What a picker shows while ``text`` is typed: every choice whose name, province, department
    or ubigeo holds every word, the district called exactly so first, then names that begin so,
    then names that hold it, then the districts found by their province or department (typing
    «Puno» put Acora, Amantani… before the district Puno itself)."""
    words = search_key(text).split()
    if not words:
        return []
    whole = " ".join(words)

    def rank(choice: DistrictChoice) -> int:
        name = search_key(choice.name)
        if name == whole or choice.code == whole:
            return 0
        if name.startswith(whole):
            return 1
        if all(word in name for word in words):
            return 2
        return 3

    found = [c for c in choices if all(word in search_key(c.label) for word in words)]
    found.sort(key=lambda c: (rank(c), search_key(c.name), c.code))
    return found[:limit]


@cache
def _index() -> dict[str, DistrictChoice]:
    return {d.code: d for d in all_districts()}


def get(code: str) -> DistrictChoice | None:
    found = _index().get(code)
    if found is None:
        _index.cache_clear()
        found = _index().get(code)
    return found
