"""Writing files so that a power cut never leaves half of one: the one atomic-file helper.

Every file the application writes whole (exports, PDFs, backup manifests, the rights record…) is
written to a temporary file beside its target, flushed to the disk, and renamed over the target;
on any failure the temporary file is removed and the old target is untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def atomic_target(path: Path, private: bool = False) -> Path:
    """A temporary file beside ``path`` to write into and then rename over it.

    mkstemp makes it 0600; unless ``private``, it gets the permissions of any file the user creates
    (the umask), so that an exported file can be opened by the other accounts of a shared computer.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    if not private:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
    return Path(tmp)


def fsync_file(path: Path) -> None:
    """Flush a written file's content to the disk."""
    with open(path, "rb+") as stream:
        os.fsync(stream.fileno())


def fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (no-op where folders cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_write(path: Path, private: bool = False) -> Iterator[Path]:
    """``with atomic_write(target) as tmp:`` write ``tmp`` (by name: reportlab, openpyxl…); on leaving
    the block it is flushed and renamed over ``target``; on an exception it is removed."""
    path = Path(path)
    tmp = atomic_target(path, private)
    try:
        yield tmp
        fsync_file(tmp)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def write_bytes(path: Path, data: bytes, private: bool = False) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_write(path, private) as tmp:
        tmp.write_bytes(data)
