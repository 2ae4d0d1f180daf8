"""Pages built with the main window load their data when first shown, not while it is built.

Built alone (a test, a dialog), a page loads at once as before. Built inside :func:`deferred` (the
main window's construction), its first refresh waits for the window to show it: the window's
``_page_shown`` refreshes the page in front, off the GUI thread for the counting pages. On the large
demo the pages' refreshes at construction took 3–4 s of the signed-in window's start, and the desk's
ran twice (its own, then the window's when it showed it first).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

_deferring = 0


@contextmanager
def deferred() -> Iterator[None]:
    """Pages built meanwhile load when they are first shown."""
    global _deferring
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1


def first_load(page) -> None:
    """The page's first refresh: now, or when the window shows it (inside :func:`deferred`)."""
    if _deferring:
        return
    page.refresh()
