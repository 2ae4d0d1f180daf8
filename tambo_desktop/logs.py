"""Logging to a rotating file under the data folder, with personal data masked.

What is masked (:func:`mask`), in the message, its arguments, the traceback and the stack of every
record, before any handler writes it:

* numbers of 8 to 12 digits standing alone (a DNI, a mobile phone, a RUC): ``41234567`` becomes
  ``41****67``; digits that are part of something else stay: a date and time stamp
  (``tambo-20261206-130501.db``, ``20261206T130501``), a hash or a UUID (digits touching letters or
  a UUID's dashes), a size (``12345678 bytes``);
* names of people: two or more capitalised words in a row (``Juana Mamani Quispe``, also with
  ``de``/``del``/``la`` between them) become their initials (``J*** M*** Q***``), in the message,
  its arguments and the lines of a traceback that carry values (the exception's text), never in the
  traceback's file names and source lines (code, not data);
* the value of a personal field written as ``field='value'``/``'field': 'value'`` (names, document,
  phone, notes, address) in an exception's text or a message.

A handler that cannot write its log (full disk, read-only folder) says so once, in one line on
standard error, and never prints a traceback of its own.
"""

from __future__ import annotations

import errno
import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path

from tambo_desktop import paths
from tambo_desktop.i18n import N_, _

#: A run of 8 to 12 digits standing alone (a DNI, a mobile phone, a RUC), not part of a word, a
#: hash, a UUID, a decimal number or a date-time stamp.
_DIGITS = re.compile(
    r"(?<![\w.\-])(?<![0-9a-fA-F]-)(\d{2})(\d{4,8})(\d{2})"
    r"(?![\w])(?!\.\d)(?!-[0-9a-fA-F]{4}-)(?!\s*(?:bytes|B\b|KB|MB|GB|kB|ms\b))"
)
#: A date-time stamp: YYYYMMDD followed by -HHMMSS, _HHMMSS or THHMMSS (a backup's name).
_STAMP = re.compile(r"(?<!\d)((?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?=[-_T]\d{4,6}(?!\d))")
_UPPER = "A-ZÁÉÍÓÚÑÜ"
_LOWER = "a-záéíóúñü’'"
_WORD = rf"[{_UPPER}][{_LOWER}]+"
_CONNECTOR = r"(?:de|del|la|las|los|y)"
#: Two or more capitalised words in a row, possibly joined by de/del/la/los/y: a person's name.
_NAME = re.compile(rf"(?<![\w/\\.]){_WORD}(?:\s+(?:{_CONNECTOR}\s+)*{_WORD})+(?![\w/\\])")
_PERSONAL_FIELDS = (
    "first_names|last_name_1|last_name_2|full_name|names|nombres|apellido_paterno|apellido_materno|"
    "apellidos|document_number|numero_documento|dni|phone|telefono|celular|notes|notas|address|direccion|"
    "lider_nombre|lider_telefono|name_key"
)
#: ``field='value'``, ``field="value"``, ``'field': 'value'`` or ``field=value`` for a personal field.
_FIELD_VALUE = re.compile(
    rf"""(?P<key>['"]?\b(?:{_PERSONAL_FIELDS})\b['"]?\s*[:=]\s*)(?P<value>'[^'\n]*'|"[^"\n]*"|[^\s,;)}}\]]+)""",
    re.IGNORECASE,
)


def _mask_digits(match: re.Match[str]) -> str:
    return match.group(1) + "*" * len(match.group(2)) + match.group(3)


def _mask_name(match: re.Match[str]) -> str:
    return re.sub(rf"{_WORD}", lambda word: word.group(0)[0] + "***", match.group(0))


def _mask_field(match: re.Match[str]) -> str:
    value = match.group("value")
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{match.group('key')}{quote}***{quote}"


def mask_numbers(text: str) -> str:
    """``text`` with its DNI-shaped numbers masked (date-time stamps, hashes and sizes kept)."""
    stamps: list[str] = []

    def keep(match: re.Match[str]) -> str:
        stamps.append(match.group(1))
        return f"\x00{len(stamps) - 1}\x00"

    protected = _STAMP.sub(keep, text)
    masked = _DIGITS.sub(_mask_digits, protected)
    return re.sub(r"\x00(\d+)\x00", lambda m: stamps[int(m.group(1))], masked) if stamps else masked


def mask(text: str) -> str:
    """``text`` with personal data masked: DNI-shaped numbers, names of people, personal fields."""
    if not text:
        return text
    return _NAME.sub(_mask_name, _FIELD_VALUE.sub(_mask_field, mask_numbers(text)))


_CODE_LINE = re.compile(r'^\s+File "|^\s{4,}\S|^\s*[\^~]+\s*$')


def mask_traceback(text: str) -> str:
    """A formatted traceback with personal data masked in the lines that carry values (the
    exceptions' text); its file names and source lines are code and stay, digits masked."""
    lines = []
    for line in text.split("\n"):
        lines.append(mask_numbers(line) if _CODE_LINE.match(line) else mask(line))
    return "\n".join(lines)


class MaskingFilter(logging.Filter):
    """Mask personal data (see the module) in a record's message, its traceback and its stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_tambo_masked", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: logging reports it, we keep the record as is
            return True
        record.msg, record.args = mask(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_traceback(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_traceback(record.stack_info)
        record._tambo_masked = True
        return True


class _QuietOnFailure:
    """A handler that cannot write says so once, in one line on standard error: never a traceback
    (logging's own ``--- Logging error ---`` and its 20 lines per record)."""

    _told = False

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        if _QuietOnFailure._told:
            return
        _QuietOnFailure._told = True
        error = sys.exc_info()[1]
        target = getattr(self, "baseFilename", None) or getattr(getattr(self, "stream", None), "name", "")
        try:
            reason = os_reason(error) if isinstance(error, OSError) else str(error)
            line = _("No se puede escribir el registro de la aplicación {path}: {reason}.").format(
                path=target, reason=reason
            )
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
        except Exception:
            pass  # standard error is gone too: nothing more can be said


#: The operating system's reasons a log or a database meets most, in the user's language.
OS_REASONS = {
    errno.ENOSPC: N_("el disco está lleno"),
    errno.EDQUOT: N_("el disco está lleno"),
    errno.EACCES: N_("no tiene permiso para usarlo"),
    errno.EPERM: N_("no tiene permiso para usarlo"),
    errno.EROFS: N_("el disco o la memoria USB es de solo lectura"),
}


def os_reason(exc: OSError) -> str:
    """A full disk or a read-only folder in the user's language; other errors as the system says."""
    reason = OS_REASONS.get(exc.errno or 0)
    return _(reason) if reason is not None else (exc.strerror or str(exc))


class PrivateRotatingFileHandler(_QuietOnFailure, logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (the first and each one after a rollover) is owner-only (0600)."""

    def _open(self):
        try:
            os.close(os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        except OSError:
            pass  # the open below says why
        paths.make_private(Path(self.baseFilename))
        return super()._open()


class QuietStreamHandler(_QuietOnFailure, logging.StreamHandler):
    """Standard error's handler, quiet when standard error cannot be written."""


def setup_logging(console: bool = False, level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if any(getattr(h, "_tambo", False) for h in root.handlers):
        return
    try:
        handler: logging.Handler = PrivateRotatingFileHandler(
            paths.logs_dir() / "tambo.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = QuietStreamHandler()
    handler._tambo = True  # type: ignore[attr-defined]
    handler.addFilter(MaskingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    if console:
        stream = QuietStreamHandler()
        stream.addFilter(MaskingFilter())
        root.addHandler(stream)
