"""``tambo-cli package``: the tambo's packages for the central office (issue 20, part 1)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tambo_desktop import i18n
from tambo_desktop.cli import common
from tambo_desktop.cli.common import EXIT_OK, EXIT_USAGE, output_file
from tambo_desktop.i18n import N_, _

MODES = {"since_last": N_("lo cambiado desde el anterior"), "all": N_("todo")}


def add_parsers(verbs) -> None:
    pkg = verbs.add_parser("package", help=_("los paquetes del tambo para la oficina central"))
    pkg_verbs = pkg.add_subparsers(dest="package_verb", required=True)
    exp = pkg_verbs.add_parser("export", help=_("escribe un paquete firmado y cifrado para la oficina central"))
    what = exp.add_mutually_exclusive_group(required=True)
    what.add_argument("--since-last", action="store_true", help=_("lo creado o cambiado desde el último paquete"))
    what.add_argument("--all", action="store_true", help=_("todos los registros y toda la auditoría"))
    what.add_argument("--again", type=common.whole_number, metavar="N", help=_("vuelve a hacer el paquete número N"))
    exp.add_argument("--out", type=output_file, required=True, metavar="ARCHIVO")
    key = pkg_verbs.add_parser("central-key", help=_("instala o muestra la clave pública de la oficina central"))
    key.add_argument(
        "--set", type=Path, metavar="ARCHIVO", help=_("el archivo de la clave que entrega la oficina central")
    )
    pkg_verbs.add_parser("list", help=_("los paquetes hechos"))
    ref = pkg_verbs.add_parser("reference", help=_("importa el paquete de datos de referencia de la oficina central"))
    ref.add_argument("file", type=Path, metavar="ARCHIVO")


def cmd_package(args: argparse.Namespace) -> int:
    from tambo_desktop.services.packages import PackageService, central_key, key_id, signing_key

    common.open_database(args)
    service = PackageService(common.session())
    if args.package_verb == "central-key":
        if args.set:
            key = service.set_central_key(args.set.read_text(encoding="utf-8", errors="replace"))
            print(_("Clave de la oficina central instalada: {key}.").format(key=key.id))
            return EXIT_OK
        installed = central_key()
        if installed is None:
            print(
                _("No hay clave de la oficina central: instálela con «package central-key --set ARCHIVO»."),
                file=sys.stderr,
            )
            return EXIT_USAGE
        print(_("Clave de la oficina central: {key}.").format(key=installed.id))
        own = signing_key(create=False)
        if own is not None:
            print(_("Clave de firma de este tambo: {key}.").format(key=key_id(own.verify_key.encode())))
        return EXIT_OK
    if args.package_verb == "reference":
        return _reference(args)
    if args.package_verb == "list":
        rows = [(p.id, i18n.format_datetime(p.made_at, "short"), _(MODES.get(p.mode, p.mode)), p.records, p.tombstones, f"{p.audit_from}-{p.audit_to}",
                 p.file_name) for p in service.history()]  # fmt: skip
        headers = [_("N.º"), _("hecho (UTC)"), _("modo"), _("registros"), _("bajas"), _("auditoría"), _("archivo")]
        common.print_table(headers, rows, right=(0, 3, 4))
        return EXIT_OK
    mode = "all" if args.all else "since_last"
    info = service.export(args.out, mode, again=args.again)
    message = (
        _(
            "Paquete {n} hecho de nuevo: {records} registros, {tombstones} bajas, {audit} líneas de auditoría, en {path}."
        )
        if info.remade
        else _("Paquete {n}: {records} registros, {tombstones} bajas, {audit} líneas de auditoría, en {path}.")
    )
    print(
        message.format(
            n=info.seq, records=info.records, tombstones=info.tombstones, audit=info.audit_entries, path=info.path
        )
    )
    print(_("Huella SHA-256: {sha}").format(sha=info.sha256))
    return EXIT_OK


def _reference(args: argparse.Namespace) -> int:
    from tambo_desktop.services.packages_reference import import_reference

    r = import_reference(common.session(), args.file)
    print(_("Datos de referencia de la oficina central, versión {version}:").format(version=r.version))
    lines = (
        (_("entidades nuevas"), r.entities_added), (_("entidades cambiadas"), r.entities_changed),
        (_("servicios nuevos"), r.services_added), (_("servicios cambiados"), r.services_changed),
        (_("servicios desactivados"), r.services_deactivated),
        (_("servicios que salieron del catálogo pero tienen atenciones (se quedan)"), r.services_kept),
        (_("metas"), r.goals_set),
    )  # fmt: skip
    for title, codes in lines:
        if codes:
            print(f"  {title}: {', '.join(codes)}")
    if r.rules_added:
        print("  " + _("reglas de servicios nuevas: {n}").format(n=r.rules_added))
    if not any(codes for _title, codes in lines) and not r.rules_added:
        print("  " + _("nada cambió en el catálogo"))
    for notice in r.notices:
        print(_("Aviso de la oficina central: {text}").format(text=notice))
    return EXIT_OK


VERBS = {"package": cmd_package}
