"""How far a long import is, on standard error: nothing for a short one, then one line every few
seconds («Guardando… 40 % (4,000 de 10,000)»), so that standard output keeps only the result."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from tambo_desktop.i18n import _, format_number, format_percent

#: Seconds before the first line (a short import prints none), and between two lines.
FIRST_AFTER = 2.0
EVERY = 2.0


class StderrProgress:
    """An import's ``progress(step, done, total)`` callback that prints to standard error."""

    def __init__(self, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.last: float | None = None
        self.step = ""

    def __call__(self, step: str, done: int, total: int) -> None:
        now = self.clock()
        if now - self.started < FIRST_AFTER:
            return
        if self.last is not None and now - self.last < EVERY and step == self.step:
            return
        self.last, self.step = now, step
        fraction = min(1.0, done / total) if total else 0.0
        line = _("{step}… {percent} ({done} de {total})").format(
            step=step, percent=format_percent(fraction), done=format_number(done), total=format_number(total)
        )
        stream = self.stream or sys.stderr
        print(line, file=stream, flush=True)
