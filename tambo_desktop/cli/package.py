"""``tambo-cli package``: the tambo's packages for the central office (issue 20, part 1)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tambo_desktop.cli import common
from tambo_desktop.cli.common import EXIT_OK, EXIT_USAGE
from tambo_desktop.i18n import _


def add_parsers(verbs) -> None:
    pkg = verbs.add_parser("package", help=_("los paquetes del tambo para la oficina central"))
    pkg_verbs = pkg.add_subparsers(dest="package_verb", required=True)
    exp = pkg_verbs.add_parser("export", help=_("escribe un paquete firmado y cifrado para la oficina central"))
    what = exp.add_mutually_exclusive_group(required=True)
    what.add_argument("--since-last", action="store_true", help=_("lo creado o cambiado desde el último paquete"))
    what.add_argument("--all", action="store_true", help=_("todos los registros y toda la auditoría"))
    what.add_argument("--again", type=common.whole_number, metavar="N", help=_("vuelve a hacer el paquete número N"))
    exp.add_argument("--out", type=Path, required=True, metavar="ARCHIVO")
    key = pkg_verbs.add_parser("central-key", help=_("instala o muestra la clave pública de la oficina central"))
    key.add_argument("--set", type=Path, metavar="ARCHIVO", help=_("el archivo de la clave que entrega la oficina central"))
    pkg_verbs.add_parser("list", help=_("los paquetes hechos"))


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
            print(_("No hay clave de la oficina central: instálela con «package central-key --set ARCHIVO»."), file=sys.stderr)
            return EXIT_USAGE
        print(_("Clave de la oficina central: {key}.").format(key=installed.id))
        own = signing_key(create=False)
        if own is not None:
            print(_("Clave de firma de este tambo: {key}.").format(key=key_id(own.verify_key.encode())))
        return EXIT_OK
    if args.package_verb == "list":
        rows = [(p.id, p.made_at.strftime("%Y-%m-%d %H:%M"), p.mode, p.records, p.tombstones, f"{p.audit_from}-{p.audit_to}",
                 p.file_name) for p in service.history()]  # fmt: skip
        headers = [_("N.º"), _("hecho (UTC)"), _("modo"), _("registros"), _("bajas"), _("auditoría"), _("archivo")]
        common.print_table(headers, rows, right=(0, 3, 4))
        return EXIT_OK
    mode = "all" if args.all else "since_last"
    info = service.export(args.out, mode, again=args.again)
    message = (
        _("Paquete {n} hecho de nuevo: {records} registros, {tombstones} bajas, {audit} líneas de auditoría, en {path}.")
        if info.remade
        else _("Paquete {n}: {records} registros, {tombstones} bajas, {audit} líneas de auditoría, en {path}.")
    )
    print(message.format(n=info.seq, records=info.records, tombstones=info.tombstones, audit=info.audit_entries, path=info.path))
    print(_("Huella SHA-256: {sha}").format(sha=info.sha256))
    return EXIT_OK


VERBS = {"package": cmd_package}
