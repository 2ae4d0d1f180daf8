"""The central office's key pairs, made by ``central init`` in its data folder (mode 0600):
X25519 (``box``) opens the packages sealed to it, ed25519 (``sign``) signs the reference-data
packages it sends back. ``central public-key`` writes the public half that the tambos install."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import nacl.exceptions
import nacl.public
import nacl.signing

from tambo_desktop import files, paths
from tambo_desktop.central.schema import CentralError
from tambo_desktop.i18n import _
from tambo_desktop.services.packages import CentralKey

BOX_FILE, SIGN_FILE = "central-box.key", "central-sign.key"


def keys_dir() -> Path:
    folder = paths.home() / "central-keys"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


@dataclass(frozen=True)
class CentralKeys:
    box: nacl.public.PrivateKey
    sign: nacl.signing.SigningKey

    def public(self, name: str = "") -> CentralKey:
        return CentralKey(bytes(self.box.public_key), self.sign.verify_key.encode(), name)


def _write(path: Path, raw: bytes) -> None:
    files.write_bytes(path, raw.hex().encode("ascii") + b"\n", private=True)
    os.chmod(path, 0o600)


def load(create: bool = False) -> CentralKeys:
    folder = keys_dir()
    box_path, sign_path = folder / BOX_FILE, folder / SIGN_FILE
    if not box_path.exists() or not sign_path.exists():
        if not create:
            raise CentralError(
                _(
                    "No están las claves de la oficina central en {folder}: use «central init» en esta carpeta de datos."
                ).format(folder=folder)
            )
        _write(box_path, bytes(nacl.public.PrivateKey.generate()))
        _write(sign_path, bytes(nacl.signing.SigningKey.generate()))
    try:
        box = nacl.public.PrivateKey(bytes.fromhex(box_path.read_text(encoding="ascii").strip()))
        sign = nacl.signing.SigningKey(bytes.fromhex(sign_path.read_text(encoding="ascii").strip()))
    except (ValueError, nacl.exceptions.CryptoError) as exc:
        raise CentralError(
            _("Las claves de la oficina central en {folder} están dañadas.").format(folder=folder)
        ) from exc
    return CentralKeys(box, sign)
