"""The log keeps no personal data, also in tracebacks, and nothing else is masked (issue 15, part 11)."""

from __future__ import annotations

import logging
import uuid

from tambo_desktop.logs import MaskingFilter, PrivateRotatingFileHandler


def _logged(tmp_path, write) -> str:
    path = tmp_path / "tambo.log"
    handler = PrivateRotatingFileHandler(path, maxBytes=2_000_000, backupCount=1, encoding="utf-8")
    handler.addFilter(MaskingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("tambo.test.log_masking")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        write(logger)
    finally:
        logger.removeHandler(handler)
        handler.close()
    return path.read_text(encoding="utf-8")


def _register(person: dict) -> None:
    raise ValueError(f"no se pudo registrar a {person['first_names']} {person['last_name_1']}: {person}")


def test_a_traceback_keeps_no_dni_and_no_name(tmp_path):
    person = {"first_names": "Juana Rosa", "last_name_1": "Mamani", "document_number": "41234567", "sex": "F"}

    def write(logger):
        try:
            try:
                _register(person)
            except ValueError as exc:
                raise RuntimeError(f"la atención de DNI 41234567 falló: {exc}") from exc
        except RuntimeError:
            logger.exception("the desk could not save")

    text = _logged(tmp_path, write)
    assert "Traceback (most recent call last)" in text and "ValueError" in text and "RuntimeError" in text
    assert "test_log_masking.py" in text and "_register(person)" in text  # the code stays readable
    for secret in ("41234567", "Mamani", "Juana"):
        assert secret not in text, secret
    assert "41****67" in text and "J*** R*** M***" in text


def test_a_name_passed_as_an_argument_is_masked(tmp_path):
    text = _logged(tmp_path, lambda logger: logger.error("the staff day of %s failed: %s", "ana", "Rosa Quispe Huamán"))
    assert "Quispe" not in text and "Huamán" not in text
    assert "the staff day of ana failed: R*** Q*** H***" in text


def test_backup_names_hashes_uuids_and_sizes_are_not_masked(tmp_path):
    record_uuid = str(uuid.UUID("12345678-1234-5678-1234-567812345678"))
    lines = [
        "backup /datos/backups/tambo-20261206-130501.db written and verified (12345678 bytes)",
        "restored /datos/backups/tambo-20261207-000000.db (the previous state is in tambo-20261207-000001-pre.db)",
        f"record {record_uuid} hash 9f86d081884c7d659a2feaa0c55ad01512345678",
        "stamp 20261206T130501, took 1.23456789 s, ubigeo 210102, año 2026",
    ]
    text = _logged(tmp_path, lambda logger: [logger.info("%s", line) for line in lines])
    for line in lines:
        assert line in text


def test_mask_hides_documents_phones_and_personal_fields():
    from tambo_desktop.logs import mask

    assert mask("DNI 41234567, celular +51 951423870") == "DNI 41****67, celular +51 95*****70"
    assert (
        mask("Person(first_names=Juana, phone='951423870', sex='F')") == "Person(first_names=***, phone='***', sex='F')"
    )
    assert mask("María de la Cruz Huamán llegó") == "M*** de la C*** H*** llegó"
    assert mask("El disco está lleno: no se guardó nada.") == "El disco está lleno: no se guardó nada."
