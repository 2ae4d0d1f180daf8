"""Command-line verbs of a PIAS: ``init --platform pias`` (its ship) and ``voyage list / itinerary / report``."""

from __future__ import annotations

import argparse
from pathlib import Path

from tambo_desktop import i18n
from tambo_desktop.cli import common
from tambo_desktop.cli.common import EXIT_OK, output_file
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import N_, _

VOYAGE_HEADERS = (N_("ID"), N_("Desde"), N_("Hasta"), N_("Paradas"), N_("Atendidas"), N_("Omitidas"), N_("Travesía"))
UNKNOWN_VOYAGE = N_("No hay ninguna travesía con el ID «{value}»; «tambo-cli voyage list» muestra los ID.")


def add_init_arguments(init: argparse.ArgumentParser) -> None:
    """``init``'s options for a PIAS: the platform kind and the ship."""
    init.add_argument("--platform", choices=["tambo", "pias"], default="tambo",
                      help=_("tambo (plataforma fija, por omisión) o pias (plataforma itinerante, un barco)"))  # fmt: skip
    init.add_argument("--ship-name", default="", metavar="NOMBRE", help=_("PIAS: el nombre del barco"))
    init.add_argument("--ship-code", default="", metavar="CÓDIGO", help=_("PIAS: el código del barco en la Marina"))
    init.add_argument("--ship-capacity", default="", metavar="N", help=_("PIAS: cuántas personas caben a bordo"))
    init.add_argument("--ship-modules", default="", metavar="consulting,reniec,bank",
                      help=_("PIAS: los módulos a bordo, separados por coma"))  # fmt: skip


def ship_form(args: argparse.Namespace):
    """The ship the options describe (None for a tambo)."""
    from tambo_desktop.services.pias import ShipForm, parse_modules

    if args.platform != "pias":
        return None
    return ShipForm(args.ship_name, args.ship_code, args.ship_capacity, parse_modules(args.ship_modules))


def add_parsers(verbs) -> None:
    voy = verbs.add_parser("voyage", help=_("las travesías de una PIAS"))
    voy_verbs = voy.add_subparsers(dest="voyage_verb", required=True)
    voy_list = voy_verbs.add_parser("list", help=_("lista las travesías con su número (ID)"))
    voy_list.add_argument("--json", action="store_true", help=_("en JSON, con claves estables"))
    iti = voy_verbs.add_parser(
        "itinerary", help=_("imprime el itinerario de una travesía (PDF) o lo exporta a iCalendar (.ics)")
    )
    iti.add_argument("--voyage", type=common.record_ref, required=True, metavar="ID")
    iti.add_argument("--format", choices=["pdf", "ics"], required=True)
    iti.add_argument("--out", type=output_file, required=True)
    ann = voy_verbs.add_parser(
        "announce", help=_("anuncia una parada con una campaña (volantes, oficios, radio) y muestra su ID")
    )
    ann.add_argument("--voyage", type=common.record_ref, required=True, metavar="ID")
    ann.add_argument(
        "--stop", type=common.whole_number, required=True, metavar="N", help=_("el número de la parada en la ruta")
    )
    rep = voy_verbs.add_parser(
        "report", help=_("el informe de una travesía: por parada, atenciones y usuarios (PDF o XLSX)")
    )
    rep.add_argument("--voyage", type=common.record_ref, required=True, metavar="ID")
    rep.add_argument("--format", choices=["pdf", "xlsx"], required=True)
    rep.add_argument("--out", type=output_file, required=True)


def _writable(path: Path, action):
    try:
        return action()
    except OSError as exc:
        raise TamboError(
            _("No se puede escribir {path}: {reason}").format(path=path, reason=common.os_reason(exc))
        ) from exc


def cmd_voyage(args: argparse.Namespace) -> int:
    from tambo_desktop.services.voyages import VoyageService

    common.open_database(args)
    service = VoyageService(common.session())
    if args.voyage_verb == "list":
        rows = service.list()
        if args.json:
            common.print_json([r.as_dict() for r in rows])
        else:
            common.print_table(
                [_(h) for h in VOYAGE_HEADERS],
                [
                    (
                        r.id,
                        i18n.format_date(r.starts_at, "short") if r.starts_at else "",
                        i18n.format_date(r.ends_at, "short") if r.ends_at else "",
                        r.stops,
                        r.reached,
                        r.skipped,
                        f"{r.name} ({r.basin})",
                    )
                    for r in rows
                ],  # fmt: skip
                right=(0, 3, 4, 5),
            )
        return EXIT_OK
    voyage_id = common.resolve(args.voyage, service.find_id, UNKNOWN_VOYAGE)
    if args.voyage_verb == "announce":
        from tambo_desktop.services.voyages_campaigns import StopAnnouncementService

        stop = next((s for s in service.get(voyage_id).stops if s.position == args.stop), None)
        if stop is None:
            raise common.BadInput(_("La travesía no tiene la parada {n}.").format(n=args.stop))
        announcer = StopAnnouncementService(common.session())
        campaign = announcer.announce(stop.id)
        print(_("Campaña {id} para la parada {n} ({community}); «tambo-cli flyer --campaign {id}» imprime su volante.").format(
            id=campaign, n=stop.position, community=stop.community_name))  # fmt: skip
        _language, notice = announcer.language(stop.id)
        if notice:
            print(notice)
        return EXIT_OK
    if args.voyage_verb == "itinerary":
        if args.format == "pdf":
            pages = _writable(
                args.out, lambda: service.export_itinerary_pdf(voyage_id, args.out, language=args.lang or None)
            )
            print(_("Itinerario impreso en {path} (páginas: {pages}).").format(pages=pages, path=args.out))
        else:
            events = _writable(args.out, lambda: service.export_ics(voyage_id, args.out))
            print(_("Paradas exportadas a {path}: {n}.").format(n=events, path=args.out))
        return EXIT_OK
    from tambo_desktop.services.voyages_report import VoyageReportService

    report = VoyageReportService(common.session())
    pages = _writable(args.out, lambda: report.export(voyage_id, args.out, args.format, language=args.lang or None))
    if args.format == "pdf":
        print(_("Informe de la travesía impreso en {path} (páginas: {pages}).").format(pages=pages, path=args.out))
    else:
        print(_("Informe de la travesía exportado a {path}.").format(path=args.out))
    return EXIT_OK


def cmd_demo_pias(args: argparse.Namespace) -> int:
    """``demo --platform pias``: the demo PIAS on Lake Titicaca (the database is open)."""
    from tambo_desktop.demo.pias import DEMO_PASSWORD, create_pias_demo

    summary = create_pias_demo(args.seed)
    print(_("PIAS de demostración lista: {communities} comunidades, {accounts} cuentas (contraseña «{password}»).").format(
        communities=summary.communities, accounts=summary.accounts, password=DEMO_PASSWORD))  # fmt: skip
    print(_("Travesías: {voyages}; paradas: {stops}; personas: {persons}; atenciones: {attentions}.").format(
        voyages=summary.voyages, stops=summary.stops, persons=summary.persons, attentions=summary.attentions))  # fmt: skip
    return EXIT_OK


VERBS = {"voyage": cmd_voyage}
