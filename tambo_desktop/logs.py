"""Logging to a rotating file under the data folder, with personal data masked."""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

from tambo_desktop import paths

_DIGITS = re.compile(r"(?<!\d)(\d{2})\d{4,9}(\d{2})(?!\d)")


class MaskingFilter(logging.Filter):
    """Mask runs of 8+ digits (DNI, phone numbers) in every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _DIGITS.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 4) + m.group(2), message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (the first and each one after a rollover) is owner-only (0600)."""

    def _open(self):  # type: ignore[no-untyped-def]
        try:
            os.close(os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        except OSError:
            pass  # the open below says why
        paths.make_private(Path(self.baseFilename))
        return super()._open()


def setup_logging(console: bool = False, level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if any(getattr(h, "_tambo", False) for h in root.handlers):
        return
    try:
        handler: logging.Handler = PrivateRotatingFileHandler(
            paths.logs_dir() / "tambo.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler._tambo = True  # type: ignore[attr-defined]
    handler.addFilter(MaskingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    if console:
        stream = logging.StreamHandler()
        stream.addFilter(MaskingFilter())
        root.addHandler(stream)
