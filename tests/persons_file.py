"""A large, valid list of people to import (as a municipality would send it)."""

from __future__ import annotations

from pathlib import Path

FIRST = ("Juana", "Rosa", "María", "Justina", "Pedro", "Mario", "Felipe", "Hilda", "Nilda", "Teófilo")
LAST = ("Mamani", "Quispe", "Condori", "Apaza", "Huanca", "Choque", "Ccama", "Flores", "Pari", "Ticona")


def _letters(n: int) -> str:
    word = ""
    while True:
        word = chr(ord("a") + n % 26) + word
        n //= 26
        if not n:
            return word


def persons_csv(path: Path, rows: int, first_dni: int = 50_000_000) -> Path:
    """``rows`` people, each with a distinct DNI and a name that is all letters."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(
            "tipo_documento,numero_documento,nombres,apellido_paterno,apellido_materno,sexo,fecha_nacimiento,notas\n"
        )
        for i in range(rows):
            first = f"{FIRST[i % 10]} {_letters(i).capitalize()}"
            handle.write(
                f"dni,{first_dni + i},{first},{LAST[i % 10]},{LAST[(i // 10) % 10]},{'F' if i % 2 else 'M'},"
                f"{1950 + i % 60}-{1 + i % 12:02d}-{1 + i % 28:02d},nota {i}\n"
            )
    return path
