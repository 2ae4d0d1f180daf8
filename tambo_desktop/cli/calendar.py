"""Command-line verbs of the calendar, the trainings and the field visits: ``calendar export``,
``interventions list``, ``training certificates|verify|export|list``, ``trips export``, ``fuel balance``."""

from __future__ import annotations

import argparse
import json
import sys

from tambo_desktop.cli import common
from tambo_desktop.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import _


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
        raise TamboError(_("No se puede escribir {path}: {reason}").format(path=args.out, reason=exc.strerror or exc)) from exc
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
        out = [
            {
                "uuid": r.uuid, "title": r.title, "entity": r.entity_code or None, "kind": r.kind, "place": r.place,
                "space": r.space_name or None, "community": r.community_name or None,
                "starts_at": r.starts_at.isoformat(), "ends_at": r.ends_at.isoformat(), "status": r.status,
                "status_reason": r.status_reason, "gestor": r.gestor_name or None, "services": list(r.service_names),
                "resources": list(r.resource_names), "expected_participants": r.expected_participants,
                "attentions": results.get(r.uuid, (0, 0))[0], "users": results.get(r.uuid, (0, 0))[1],
            }  # fmt: skip
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2, sort_keys=True))
        return EXIT_OK
    for r in rows:
        attentions, users = results.get(r.uuid, (0, 0))
        line = f"{r.starts_at:%Y-%m-%d %H:%M}–{r.ends_at:%H:%M}  {r.entity_label:<10} {r.title} · {r.where} · "
        line += label(INTERVENTION_STATUSES, r.status)
        if r.status == "executed":
            line += " · " + _("{attentions} atenciones, {users} usuarios").format(attentions=attentions, users=users)
        print(line)
    print(_("{n} intervenciones.").format(n=len(rows)))
    return EXIT_OK


def cmd_training(args: argparse.Namespace) -> int:
    from tambo_desktop.services.certificates import CertificateService
    from tambo_desktop.services.training import TrainingService
    from tambo_desktop.vocabulary import TRAINING_AUDIENCES, label

    common.open_database(args)
    session = common.session()
    try:
        if args.training_verb == "certificates":
            n = CertificateService(session).export_pdf(args.course, args.out)
            print(_("{n} certificados impresos en {path}.").format(n=n, path=args.out))
        elif args.training_verb == "verify":
            result = CertificateService(session).verify(args.code)
            print(result.message)
            return EXIT_OK if result.genuine else EXIT_FAILED
        elif args.training_verb == "export":
            n = TrainingService(session).export_year(args.year, args.out, args.format)
            print(_("Exportadas {n} capacitaciones a {path}.").format(n=n, path=args.out))
        else:
            for course in TrainingService(session).courses():
                when = f"{course.first_day} – {course.last_day}" if course.first_day else "—"
                print(f"{course.id:>4}  {when}  {label(TRAINING_AUDIENCES, course.audience):<20} {course.title} "
                      f"({course.participants})")  # fmt: skip
    except OSError as exc:
        raise TamboError(_("No se puede escribir {path}: {reason}").format(path=args.out, reason=exc.strerror or exc)) from exc
    return EXIT_OK


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
        raise TamboError(_("No se puede escribir {path}: {reason}").format(path=args.out, reason=exc.strerror or exc)) from exc
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
