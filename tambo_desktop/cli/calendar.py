"""Command-line verbs of the calendar, the trainings and the field visits: ``calendar export``,
``interventions list``, ``training certificates|verify|export|list``, ``trips export``, ``fuel balance``."""

from __future__ import annotations

import argparse
import json
import sys

from tambo_desktop import i18n
from tambo_desktop.cli import common
from tambo_desktop.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import N_, _

INTERVENTION_HEADERS = (N_("ID"), N_("Fecha"), N_("Hora"), N_("Entidad"), N_("Intervención"), N_("Lugar"), N_("Estado"),
                        N_("Resultado"))  # fmt: skip
COURSE_HEADERS = (N_("ID"), N_("Inicio"), N_("Fin"), N_("Dirigida a"), N_("Participantes"), N_("Capacitación"))
UNKNOWN_COURSE = N_("No hay ninguna capacitación con el ID «{value}»; «tambo-cli training list» muestra los ID.")


def cmd_calendar(args: argparse.Namespace) -> int:
    from tambo_desktop.db.models import Entity
    from tambo_desktop.services.goals import parse_month
    from tambo_desktop.services.schedule import ScheduleService

    period = parse_month(args.month)
    if period is None:
        print(_("Mes no válido: «{value}». Escríbalo como AAAA-MM.").format(value=args.month), file=sys.stderr)
        return EXIT_USAGE
    common.open_database(args)
    session = common.session()
    entity_id = None
    if args.entity:
        entity = Entity.get_or_none(Entity.code == args.entity.strip().upper())
        if entity is None:
            print(_("Entidad desconocida: «{value}».").format(value=args.entity), file=sys.stderr)
            return EXIT_USAGE
        entity_id = entity.id
    service = ScheduleService(session)
    try:
        if args.format == "pdf":
            pages = service.export_pdf(*period, args.out, language=args.lang or None, entity_id=entity_id)
            print(_("Programación impresa en {path} ({n} páginas).").format(path=args.out, n=pages))
        else:
            events = service.export_ics(*period, args.out, entity_id=entity_id)
            print(_("Exportadas {n} intervenciones a {path}.").format(n=events, path=args.out))
    except OSError as exc:
        raise TamboError(
            _("No se puede escribir {path}: {reason}").format(path=args.out, reason=common.os_reason(exc))
        ) from exc
    return EXIT_OK


def cmd_interventions(args: argparse.Namespace) -> int:
    from tambo_desktop.services.interventions import InterventionFilter, InterventionService
    from tambo_desktop.vocabulary import INTERVENTION_STATUSES, label

    period = common.parse_range(args.date_from, args.date_to)
    if period is None:
        return EXIT_USAGE
    start, end = period
    common.open_database(args)
    service = InterventionService(common.session())
    rows = service.list(InterventionFilter(start, end))
    results = service.results([r.uuid for r in rows])
    if args.json:
        common.print_json(
            [
                {
                    "id": r.id,
                    "uuid": r.uuid,
                    "title": r.title,
                    "entity": r.entity_code or None,
                    "kind": r.kind,
                    "place": r.place,
                    "space": r.space_name or None,
                    "community": r.community_name or None,
                    "starts_at": r.starts_at.isoformat(),
                    "ends_at": r.ends_at.isoformat(),
                    "status": r.status,
                    "status_reason": r.status_reason,
                    "gestor": r.gestor_name or None,
                    "services": list(r.service_names),
                    "resources": list(r.resource_names),
                    "expected_participants": r.expected_participants,
                    "attentions": results.get(r.uuid, (0, 0))[0],
                    "users": results.get(r.uuid, (0, 0))[1],
                }  # fmt: skip
                for r in rows
            ]
        )
        return EXIT_OK
    table = []
    for r in rows:
        attentions, users = results.get(r.uuid, (0, 0))
        result = ""
        if r.status == "executed":
            result = _("{attentions} atenciones, {users} usuarios").format(attentions=attentions, users=users)
        table.append([r.id, i18n.format_date(r.starts_at, "short"), f"{r.starts_at:%H:%M}–{r.ends_at:%H:%M}", r.entity_label,
                      r.title, r.where, label(INTERVENTION_STATUSES, r.status), result])  # fmt: skip
    common.print_table([_(h) for h in INTERVENTION_HEADERS], table, right=(0,))
    print(_("{n} intervenciones.").format(n=len(rows)))
    return EXIT_OK


def cmd_training(args: argparse.Namespace) -> int:
    from tambo_desktop.services.certificates import CertificateService
    from tambo_desktop.services.training import TrainingService

    common.open_database(args)
    session = common.session()
    if args.training_verb == "list":
        _list_courses(TrainingService(session).courses(), args.json)
        return EXIT_OK
    try:
        if args.training_verb == "certificates":
            course = common.resolve(args.course, TrainingService(session).find_id, UNKNOWN_COURSE)
            n = CertificateService(session).export_pdf(course, args.out)
            print(_("{n} certificados impresos en {path}.").format(n=n, path=args.out))
        elif args.training_verb == "verify":
            result = CertificateService(session).verify(args.code)
            print(result.message)
            return EXIT_OK if result.genuine else EXIT_FAILED
        else:
            n = TrainingService(session).export_year(args.year, args.out, args.format)
            print(_("Exportadas {n} capacitaciones a {path}.").format(n=n, path=args.out))
    except OSError as exc:
        raise TamboError(
            _("No se puede escribir {path}: {reason}").format(path=args.out, reason=common.os_reason(exc))
        ) from exc
    return EXIT_OK


def _list_courses(courses, as_json: bool) -> None:
    from tambo_desktop.vocabulary import TRAINING_AUDIENCES, label

    if as_json:
        common.print_json(
            [
                {
                    "id": c.id,
                    "uuid": c.uuid,
                    "title": c.title,
                    "audience": c.audience,
                    "provider": c.provider or None,
                    "first_day": c.first_day.isoformat() if c.first_day else None,
                    "last_day": c.last_day.isoformat() if c.last_day else None,
                    "sessions": c.sessions,
                    "participants": c.participants,
                    "hours": c.hours,
                }  # fmt: skip
                for c in courses
            ]
        )
        return
    rows = [[c.id, str(c.first_day or "—"), str(c.last_day or "—"), label(TRAINING_AUDIENCES, c.audience),
             c.participants, c.title] for c in courses]  # fmt: skip
    common.print_table([_(h) for h in COURSE_HEADERS], rows, right=(0, 4))


def _month(text: str):
    from tambo_desktop.services.goals import parse_month

    period = parse_month(text)
    if period is None:
        print(_("Mes no válido: «{value}». Escríbalo como AAAA-MM.").format(value=text), file=sys.stderr)
    return period


def cmd_trips(args: argparse.Namespace) -> int:
    from tambo_desktop.services.field_reports import FieldReportService

    period = _month(args.month)
    if period is None:
        return EXIT_USAGE
    common.open_database(args)
    try:
        n = FieldReportService(common.session()).export(*period, args.out, args.format)
    except OSError as exc:
        raise TamboError(
            _("No se puede escribir {path}: {reason}").format(path=args.out, reason=common.os_reason(exc))
        ) from exc
    print(_("Exportados {n} viajes a {path}.").format(n=n, path=args.out))
    return EXIT_OK


def cmd_fuel(args: argparse.Namespace) -> int:
    from tambo_desktop.services.fuel import FuelService

    period = _month(args.month)
    if period is None:
        return EXIT_USAGE
    common.open_database(args)
    rows = FuelService(common.session()).balance(*period)
    if args.json:
        print(json.dumps([b.as_dict() for b in rows], ensure_ascii=False, indent=2, sort_keys=True))
        return EXIT_OK
    for b in rows:
        print(_("{vehicle}: asignado {assigned} gal (S/ {soles}), comprado {bought} gal (S/ {spent}), queda {left} gal; "
                "{km} km en {trips} viajes").format(vehicle=b.vehicle, assigned=b.assigned_gallons, soles=b.assigned_soles,
                                                     bought=b.bought_gallons, spent=b.bought_soles, left=b.left_gallons,
                                                     km=b.km, trips=b.trips))  # fmt: skip
        for warning in b.warnings:
            print("  ⚠ " + warning)
    if not rows:
        print(_("Sin vehículos con asignación ni viajes en ese mes."))
    return EXIT_OK
