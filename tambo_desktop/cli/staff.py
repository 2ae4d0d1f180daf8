"""Command-line verb of the staff's daily record: ``staff month`` writes the month's sheet of every
person (PDF, one page each, or XLSX, one sheet each)."""

from __future__ import annotations

import argparse
import sys

from tambo_desktop import i18n
from tambo_desktop.cli import common
from tambo_desktop.cli.common import EXIT_OK, EXIT_USAGE, output_file
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _


def add_parsers(verbs) -> None:
    staff = verbs.add_parser("staff", help=_("el registro diario del personal: llegada, salida, campo y licencias"))
    staff_verbs = staff.add_subparsers(dest="staff_verb", required=True)
    month = staff_verbs.add_parser("month", help=_("la hoja del mes de cada persona, para firmar (PDF o XLSX)"))
    month.add_argument("--month", required=True, metavar="AAAA-MM")
    month.add_argument("--format", choices=["pdf", "xlsx"], required=True)
    month.add_argument("--out", type=output_file, required=True)


def cmd_staff(args: argparse.Namespace) -> int:
    from tambo_desktop.services.goals import parse_month
    from tambo_desktop.services.staff import StaffService

    period = parse_month(args.month)
    if period is None:
        print(_("Mes no válido: «{value}». Escríbalo como AAAA-MM.").format(value=args.month), file=sys.stderr)
        return EXIT_USAGE
    common.open_database(args)
    try:
        n = StaffService(common.session()).export_month(*period, args.out, args.format)
    except OSError as exc:
        raise TamboError(
            _("No se puede escribir {path}: {reason}").format(path=args.out, reason=common.os_reason(exc))
        ) from exc
    print(i18n.ngettext("La hoja del mes de {n} persona está en {path}.", "Las hojas del mes de {n} personas están en {path}.",
                        n).format(n=n, path=args.out))  # fmt: skip
    return EXIT_OK


VERBS = {"staff": cmd_staff}
