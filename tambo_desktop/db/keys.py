"""The installation key: 32 random bytes that authenticate this installation's backups (and, keyed
with it, the audit chain), kept in the data folder outside the database file, owner-only (0600).

Someone holding only the database file or a backup (a USB stick, a copy of the file) cannot make a
backup, or a changed manifest, that this installation takes for its own. Someone who can read the
key file too (the PC's account that runs the app, or an administrator of the PC) can: see
docs/SECURITY.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
from pathlib import Path

from tambo_desktop import files, paths
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _

log = logging.getLogger(__name__)

KEY_FILE = "installation.key"
_KEY_BYTES = 32
_cache: dict[tuple[Path, int, int, int], bytes] = {}


def key_file() -> Path:
    return paths.home() / KEY_FILE


def _read(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise TamboError(
            _("No se puede leer la clave de esta instalación {path} ({reason}).").format(
                path=path, reason=getattr(exc, "strerror", None) or exc
            )
        ) from exc
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != _KEY_BYTES:
        raise TamboError(
            _(
                "La clave de esta instalación {path} está dañada. Póngala de vuelta desde su copia, o pida ayuda al soporte técnico."
            ).format(path=path)
        )
    return key


def installation_key() -> bytes:
    """The key of this data folder, created (0600) the first time it is needed."""
    path = key_file()
    try:
        st = path.stat()
        stamp = (path, st.st_ino, st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    if stamp is not None and stamp in _cache:
        return _cache[stamp]
    key = _read(path)
    if key is None:
        fresh = secrets.token_bytes(_KEY_BYTES)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = _read(path)  # another process created it a moment ago
        else:
            with os.fdopen(fd, "w", encoding="ascii") as stream:
                stream.write(fresh.hex() + "\n")
                stream.flush()
                os.fsync(stream.fileno())
            with contextlib.suppress(OSError):
                files.fsync_dir(path.parent)
            log.info("installation key created in %s", path)
            key = fresh
    paths.make_private(path)
    assert key is not None
    with contextlib.suppress(OSError):
        st = path.stat()
        _cache.clear()
        _cache[(path, st.st_ino, st.st_mtime_ns, st.st_size)] = key
    return key


def key_id(key: bytes | None = None) -> str:
    """A short public name of the key (which installation signed a backup), not the key itself."""
    return hmac.new(key or installation_key(), b"tambo key id", hashlib.sha256).hexdigest()[:16]


def tag(purpose: str, data: object, key: bytes | None = None) -> str:
    """HMAC-SHA256 of ``data`` (canonical JSON) for ``purpose``, hex."""
    payload = json.dumps([purpose, data], ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key or installation_key(), payload, hashlib.sha256).hexdigest()


def matches(expected: str, purpose: str, data: object, key: bytes | None = None) -> bool:
    return isinstance(expected, str) and hmac.compare_digest(expected, tag(purpose, data, key))
