"""Command-line verbs of the monthly report: ``report monthly`` and ``report yearly`` (PDF or XLSX)."""

from __future__ import annotations

import argparse

from tambo_desktop import i18n
from tambo_desktop.cli import common
from tambo_desktop.cli.common import EXIT_OK, output_file
from tambo_desktop.i18n import _


def add_parsers(verbs) -> None:
    rep = verbs.add_parser("report", help=_("el informe mensual o anual del tambo (PDF o XLSX)"))
    rep_verbs = rep.add_subparsers(dest="report_verb", required=True)
    monthly = rep_verbs.add_parser("monthly", help=_("el informe de un mes"))
    monthly.add_argument("--month", required=True, metavar="AAAA-MM")
    yearly = rep_verbs.add_parser("yearly", help=_("el informe de un año"))
    yearly.add_argument("--year", required=True, metavar="AAAA")
    for sub in (monthly, yearly):
        sub.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        sub.add_argument("--language", choices=i18n.language_codes(), metavar="es|qu|ay",
                         help=_("idioma del informe, con el castellano (por omisión, el de la interfaz)"))  # fmt: skip
        sub.add_argument("--note", default="", metavar=_("TEXTO"), help=_("una nota del gestor, impresa al final"))
        sub.add_argument("--out", type=output_file, required=True)


def cmd_report(args: argparse.Namespace) -> int:
    from tambo_desktop.services.reports import ReportService, parse_request

    language = args.language or i18n.current_language()
    if args.report_verb == "monthly":
        request = parse_request(month=args.month, language=language, note=args.note)
    else:
        request = parse_request(year=args.year, language=language, note=args.note)
    common.open_database(args)
    service = ReportService(common.session())
    pages = service.export(request, args.out, args.format)
    if args.format == "pdf":
        print(
            _("Informe {period} escrito en {path} ({n} páginas).").format(period=request.period, path=args.out, n=pages)
        )
    else:
        print(
            _("Informe {period} escrito en {path} ({n} hojas).").format(period=request.period, path=args.out, n=pages)
        )
    return EXIT_OK


VERBS = {"report": cmd_report}
