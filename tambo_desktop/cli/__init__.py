"""Command line: no verb starts the GUI; verbs run headless jobs with the same services."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tambo_desktop import __version__, i18n
from tambo_desktop.__about__ import APP_NAME
from tambo_desktop.cli import accounts as cli_accounts
from tambo_desktop.cli import calendar as cli_calendar
from tambo_desktop.cli import campaigns, common, parsing, report, servers, staff, voyage
from tambo_desktop.cli import central as cli_central
from tambo_desktop.cli import package as cli_package
from tambo_desktop.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, output_file
from tambo_desktop.errors import ImportFileError, NotFound, TamboError, ValidationError
from tambo_desktop.i18n import _


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tambo-desktop", description=_("TAMBO Desktop: la aplicación de oficina del tambo.")
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help=_("muestra la versión del programa y sale"))  # fmt: skip
    parser.add_argument(
        "--home", metavar="CARPETA", help=_("carpeta de todos los datos (base de datos, copias, registros)")
    )
    parser.add_argument(
        "--db", metavar="URL", help=_("base de datos: sqlite:///ARCHIVO o postgresql://usuario@servidor/base")
    )
    parser.add_argument("--lang", metavar="IDIOMA", help=_("idioma: es, qu o ay"))
    parser.add_argument(
        "--self-test", action="store_true", help=_("abre la ventana principal con datos de demostración y sale")
    )
    verbs = parser.add_subparsers(dest="verb")

    init = verbs.add_parser(
        "init", help=_("configura el tambo y su primer administrador (contraseña por la entrada estándar)")
    )
    init.add_argument("--tambo-name", required=True)
    init.add_argument("--tambo-code", required=True)
    init.add_argument("--district", required=True, metavar="UBIGEO")
    init.add_argument("--centro-poblado", required=True)
    init.add_argument("--altitude", default="")
    init.add_argument("--address", default="")
    init.add_argument("--phone", default="")
    init.add_argument("--language", default="es", choices=i18n.language_codes())
    init.add_argument("--admin-user", required=True)
    init.add_argument("--admin-name", required=True)
    voyage.add_init_arguments(init)

    demo = verbs.add_parser(
        "demo", help=_("crea un tambo de demostración (solo en una base de datos vacía o de demostración)")
    )
    demo.add_argument(
        "--size",
        choices=["small", "year", "large"],
        default="small",
        help=_("personas y atenciones: small (3 meses), year (un año: 3000 personas, 20 000 atenciones), "
               "large (cinco años: 20 000 personas, 500 000 atenciones)"),
    )  # fmt: skip
    demo.add_argument(
        "--seed", type=common.whole_number, default=1, metavar="N", help=_("la misma semilla da los mismos datos")
    )
    demo.add_argument("--platform", choices=["tambo", "pias"], default="tambo",
                      help=_("tambo (por omisión) o pias: una PIAS en el lago Titicaca con sus travesías"))  # fmt: skip
    demo.add_argument("--tambo-code", metavar="CÓDIGO",
                      help=_("código de un tambo de demostración propio (otras personas, atenciones y uuids)"))  # fmt: skip
    check = verbs.add_parser("check", help=_("revisa la salud de la base de datos (sale con 0 si todo está bien)"))
    check.add_argument(
        "--reseal",
        action="store_true",
        help=_(
            "un administrador (con --user antes de «check») da por buenos los datos de personas como están y los sella de nuevo"
        ),
    )

    imp = verbs.add_parser("import", help=_("importa datos desde CSV o XLSX"))
    imp.add_argument("what", choices=["communities", "persons"])
    imp.add_argument("file", type=Path)

    exp = verbs.add_parser("export", help=_("exporta datos a CSV o XLSX"))
    exp.add_argument("what", choices=["communities", "attentions"])
    exp.add_argument("--format", choices=["csv", "xlsx"], required=True)
    exp.add_argument("--out", type=output_file, required=True)
    exp.add_argument("--from", dest="date_from", metavar="AAAA-MM-DD", help=_("primer día (atenciones)"))
    exp.add_argument("--to", dest="date_to", metavar="AAAA-MM-DD", help=_("último día, incluido (atenciones)"))

    bak = verbs.add_parser("backup", help=_("hace una copia de seguridad verificada de la base de datos"))
    bak.add_argument(
        "--to", type=Path, metavar="CARPETA", help=_("carpeta donde copiarla (por ejemplo una memoria USB)")
    )
    bak.add_argument("--service", action="store_true",
                     help=_("modo de servicio para copias programadas: sin cuenta ni contraseña, con la cuenta del PC que "
                            "guarda los datos; solo hace la copia"))  # fmt: skip

    res = verbs.add_parser(
        "restore", help=_("restaura una copia de seguridad (antes guarda una copia del estado actual)")
    )
    res.add_argument("file", type=Path)
    res.add_argument(
        "--confirm",
        action="store_true",
        help=_("restaura aunque la copia sea de otro tambo o su auditoría no se verifique (queda en la auditoría)"),
    )

    ind = verbs.add_parser("indicators", help=_("muestra las atenciones y los usuarios de un mes o de un año"))
    period = ind.add_mutually_exclusive_group(required=True)
    period.add_argument("--month", metavar="AAAA-MM")
    period.add_argument("--year", metavar="AAAA")
    ind.add_argument("--json", action="store_true", help=_("en JSON, con claves estables"))

    aud = verbs.add_parser("audit", help=_("trabaja con la auditoría"))
    aud_verbs = aud.add_subparsers(dest="audit_verb", required=True)
    aud_exp = aud_verbs.add_parser("export", help=_("exporta la auditoría de un periodo a CSV o XLSX"))
    aud_exp.add_argument("--from", dest="date_from", required=True, metavar="AAAA-MM-DD")
    aud_exp.add_argument("--to", dest="date_to", required=True, metavar="AAAA-MM-DD")
    aud_exp.add_argument("--out", type=output_file, required=True)
    aud_exp.add_argument("--format", choices=["csv", "xlsx"])

    per = verbs.add_parser("person", help=_("los derechos de una persona sobre sus datos (acceso, cancelación)"))
    per_verbs = per.add_subparsers(dest="person_verb", required=True)
    per_exp = per_verbs.add_parser("export", help=_("exporta todos los datos de una persona (.json o .pdf)"))
    per_anon = per_verbs.add_parser("anonymize", help=_("anonimiza a una persona: borra nombre, documento y teléfono"))
    for sub in (per_exp, per_anon):
        sub.add_argument("--document", required=True, metavar="N")
        sub.add_argument("--document-type", default="dni", metavar="TIPO", help=_("dni (por omisión), ce u other"))
    per_anon.add_argument(
        "--purge-backups", action="store_true",
        help=_("borra también las copias de seguridad que aún la tienen (antes hace una copia verificada nueva)"),
    )  # fmt: skip
    per_purge = per_verbs.add_parser(
        "purge-backups", help=_("borra las copias de seguridad que aún tienen a una persona anonimizada")
    )
    per_purge.add_argument("--id", dest="person_id", type=int, required=True, metavar="N",
                           help=_("el número de la persona (lo muestra «person anonymize»)"))  # fmt: skip
    per_exp.add_argument("--out", type=output_file, required=True, help=_("archivo .json o .pdf"))
    cal = verbs.add_parser("calendar", help=_("la programación del mes de las intervenciones"))
    cal_verbs = cal.add_subparsers(dest="calendar_verb", required=True)
    cal_exp = cal_verbs.add_parser("export", help=_("exporta la programación de un mes en PDF (A4) o iCalendar (.ics)"))
    cal_exp.add_argument("--month", required=True, metavar="AAAA-MM")
    cal_exp.add_argument("--format", choices=["pdf", "ics"], required=True)
    cal_exp.add_argument(
        "--entity", metavar="CÓDIGO", help=_("solo las intervenciones de esta entidad (por ejemplo MINSA)")
    )
    cal_exp.add_argument("--out", type=output_file, required=True)

    itv = verbs.add_parser("interventions", help=_("trabaja con las intervenciones"))
    itv_verbs = itv.add_subparsers(dest="interventions_verb", required=True)
    itv_list = itv_verbs.add_parser("list", help=_("lista las intervenciones de un periodo"))
    itv_list.add_argument("--from", dest="date_from", required=True, metavar="AAAA-MM-DD")
    itv_list.add_argument("--to", dest="date_to", required=True, metavar="AAAA-MM-DD")
    itv_list.add_argument("--json", action="store_true", help=_("en JSON, con claves estables"))

    trn = verbs.add_parser("training", help=_("trabaja con las capacitaciones"))
    trn_verbs = trn.add_subparsers(dest="training_verb", required=True)
    trn_cert = trn_verbs.add_parser("certificates", help=_("imprime en un PDF los certificados de una capacitación"))
    trn_cert.add_argument("--course", type=common.record_ref, required=True, metavar="ID")
    trn_cert.add_argument("--out", type=output_file, required=True)
    trn_ver = trn_verbs.add_parser("verify", help=_("dice si un código de certificado es auténtico y de quién es"))
    trn_ver.add_argument("code", metavar="CÓDIGO")
    trn_exp = trn_verbs.add_parser("export", help=_("exporta el resumen de capacitaciones de un año a CSV o XLSX"))
    trn_exp.add_argument("--year", type=common.whole_number, required=True, metavar="AAAA")
    trn_exp.add_argument("--format", choices=["csv", "xlsx"], required=True)
    trn_exp.add_argument("--out", type=output_file, required=True)
    trn_list = trn_verbs.add_parser("list", help=_("lista las capacitaciones con su número (ID)"))
    trn_list.add_argument("--json", action="store_true", help=_("en JSON, con claves estables"))

    trp = verbs.add_parser("trips", help=_("los viajes de campo de los gestores"))
    trp_verbs = trp.add_subparsers(dest="trips_verb", required=True)
    trp_exp = trp_verbs.add_parser(
        "export", help=_("exporta los viajes de un mes (CSV, XLSX) o el informe de campo (PDF)")
    )
    trp_exp.add_argument("--month", required=True, metavar="AAAA-MM")
    trp_exp.add_argument("--format", choices=["csv", "xlsx", "pdf"], required=True)
    trp_exp.add_argument("--out", type=output_file, required=True)

    fue = verbs.add_parser("fuel", help=_("el combustible de los vehículos"))
    fue_verbs = fue.add_subparsers(dest="fuel_verb", required=True)
    fue_bal = fue_verbs.add_parser("balance", help=_("el balance de combustible de un mes por vehículo"))
    fue_bal.add_argument("--month", required=True, metavar="AAAA-MM")
    fue_bal.add_argument("--json", action="store_true", help=_("en JSON, con claves estables"))
    campaigns.add_parsers(verbs)
    servers.add_parsers(verbs)
    staff.add_parsers(verbs)
    report.add_parsers(verbs)
    voyage.add_parsers(verbs)
    cli_package.add_parsers(verbs)
    cli_central.add_parsers(verbs)
    cli_accounts.add_parsers(verbs)
    common.add_sign_in_options(parser, verbs)
    parsing.translate_metavars(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _run(argv)
        sys.stdout.flush()  # a closed pipe shows here, not at the interpreter's exit
        return code
    except BrokenPipeError:
        common.output_closed()
        return EXIT_FAILED


def _run(argv: Sequence[str] | None) -> int:
    from tambo_desktop.logs import setup_logging

    argv = list(sys.argv[1:] if argv is None else argv)
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    i18n.set_language(
        early.parse_known_args(argv)[0].lang or os.environ.get("TAMBO_LANG") or os.environ.get("LANG", "es")
    )
    parsing.install()  # argparse's own words in the user's language too
    parser = build_parser()  # help texts in the user's language
    args = parser.parse_args(argv)
    common.configure(args)
    if args.verb is None:
        setup_logging(console=False)
        from tambo_desktop.gui.app import run

        if args.self_test and _protection_failed(common.database_url(args)):
            return EXIT_FAILED
        return run(common.database_url(args), self_test=args.self_test, language=args.lang)
    setup_logging(console=False)
    try:
        return VERBS[args.verb](args)
    except ValidationError as exc:
        for error in exc.errors:
            print(common.field_error_line(error.field, error.message), file=sys.stderr)
        return EXIT_USAGE
    except (ImportFileError, NotFound, common.BadInput) as exc:
        print(common.translated_os_reason(exc), file=sys.stderr)
        return EXIT_USAGE
    except TamboError as exc:
        print(common.translated_os_reason(exc), file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        raise
    except OSError as exc:  # a file named on the command line: missing, not allowed, disk full…
        print(common.os_error_message(exc), file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


def _cmd_init(args: argparse.Namespace) -> int:
    from tambo_desktop.services import setup
    from tambo_desktop.services.accounts import AccountForm

    common.open_database(args)
    password = sys.stdin.readline().rstrip("\r\n")
    profile = setup.TamboProfile(
        args.tambo_name,
        args.tambo_code,
        args.district,
        args.centro_poblado,
        args.altitude,
        args.address,
        args.phone,
        args.language,
        args.platform,
    )
    admin = AccountForm(args.admin_user, args.admin_name, "admin", password, args.language)
    user = setup.initialize(profile, admin, ship=voyage.ship_form(args))
    pias = args.platform == "pias"
    done = (
        _("PIAS {code} configurada; administrador: {user}.")
        if pias
        else _("Tambo {code} configurado; administrador: {user}.")
    )
    print(done.format(code=profile.code.upper(), user=user.username))
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from tambo_desktop.demo.build import DEMO_PASSWORD, create_demo

    common.open_database(args)
    if args.platform == "pias":
        return voyage.cmd_demo_pias(args)
    summary = create_demo(args.size, args.seed, tambo_code=args.tambo_code)
    print(
        _(
            "Tambo de demostración listo: {communities} centros poblados, {accounts} cuentas (contraseña «{password}»)."
        ).format(communities=summary.communities, accounts=summary.accounts, password=DEMO_PASSWORD)
    )
    data = summary.data
    if data is not None:
        message = (
            _("Datos «{size}» (semilla {seed}): {persons} personas, {attentions} atenciones ({voided} anuladas), {goals} metas mensuales.")
            if data.loaded
            else _("Los datos «{size}» (semilla {seed}) ya estaban cargados: {persons} personas, {attentions} atenciones ({voided} anuladas), {goals} metas mensuales.")
        )  # fmt: skip
        print(
            message.format(
                size=data.size,
                seed=data.seed,
                persons=data.persons,
                attentions=data.attentions,
                voided=data.voided,
                goals=data.goals,
            )
        )
    return EXIT_OK


def _protection_failed(url: str) -> bool:
    """``--self-test`` says what ``check`` says: the same preparation and the same checks (the audit
    chain, its anchors, the people's rows' seals) before the window opens; True after printing
    what failed."""
    from tambo_desktop.db.connection import close_database
    from tambo_desktop.db.lifecycle import prepare
    from tambo_desktop.services.health import run_checks

    try:
        checks = run_checks(prepare(url, thorough=True))
    except (TamboError, OSError) as exc:
        print(f"self-test failed: {exc}", file=sys.stderr)
        return True
    finally:
        close_database()
    failed = [c for c in checks if not c.ok]
    for check in failed:
        print(f"self-test failed: {check.name}: {check.detail}", file=sys.stderr)
    return bool(failed)


def _cmd_check(args: argparse.Namespace) -> int:
    from tambo_desktop.services.health import run_checks

    db = common.open_database(args, thorough=True)  # the full integrity check, as --self-test makes it
    if getattr(args, "reseal", False):
        from tambo_desktop.services.health import reseal

        counts = reseal(common.session())
        print(_("Sellados de nuevo: {n} filas de datos de personas.").format(n=sum(counts.values())))
    checks = run_checks(db)
    for check in checks:
        mark = _("bien") if check.ok else _("FALLA")
        print(f"[{mark}] {check.name}: {check.detail}")
    return EXIT_OK if all(c.ok for c in checks) else EXIT_FAILED


def _cmd_import(args: argparse.Namespace) -> int:
    from tambo_desktop.formats.communities import import_file
    from tambo_desktop.services.communities import CommunityService

    if args.what == "persons":
        return _cmd_import_persons(args)
    from tambo_desktop.cli.progress import StderrProgress

    common.open_database(args)
    summary = import_file(CommunityService(common.session()), args.file, progress=StderrProgress())
    print(
        _(
            "Importado: {c1} centros poblados nuevos, {c2} actualizados; {l1} dirigentes nuevos, {l2} actualizados."
        ).format(
            c1=summary.communities_created,
            c2=summary.communities_updated,
            l1=summary.leaders_created,
            l2=summary.leaders_updated,
        )
    )
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from tambo_desktop.formats.communities import export_file
    from tambo_desktop.services.communities import CommunityService

    if args.what == "attentions":
        return _cmd_export_attentions(args)
    common.open_database(args)
    try:
        rows = export_file(CommunityService(common.session()), args.out, args.format)
    except OSError as exc:
        raise TamboError(
            _("No se puede escribir {path}: {reason}").format(path=args.out, reason=common.os_reason(exc))
        ) from exc
    print(_("Exportadas {n} filas a {path}.").format(n=rows, path=args.out))
    return EXIT_OK


def _print_backup(info) -> None:
    print(_("Copia de seguridad verificada: {path}").format(path=info.path))
    for table, n in sorted(info.counts.items()):
        print(f"  {table}: {n}")


def _cmd_backup(args: argparse.Namespace) -> int:
    from tambo_desktop.services.backups import BackupService

    if args.service:
        common.require_service_key()  # before the database is opened (it would make a missing key anew)
    common.open_database(args)
    service = BackupService(common.session())
    info = service.copy_to(args.to) if args.to else service.create()
    _print_backup(info)
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from tambo_desktop.db.connection import describe
    from tambo_desktop.errors import DamagedDatabase
    from tambo_desktop.services import setup
    from tambo_desktop.services.backups import (
        BackupService,
        InvalidBackup,
        RestoreNeedsConfirmation,
        recover_from_backup,
        restore_before_setup,
    )

    url = common.database_url(args)
    try:
        location = describe(url)
        missing = location.engine == "sqlite" and not Path(location.location).exists()
        if not missing:
            try:
                common.open_database(args)
            except DamagedDatabase as exc:
                print(str(exc), file=sys.stderr)
                missing = True
        if missing:
            recover_from_backup(url, args.file, confirmed=args.confirm)
            print(_("Base de datos recuperada desde la copia {file}.").format(file=args.file))
            return EXIT_OK
        if setup.is_initialized():
            previous = BackupService(common.session()).restore(args.file, confirmed=args.confirm)
        else:
            previous = restore_before_setup(args.file)
    except RestoreNeedsConfirmation as exc:
        print(str(exc), file=sys.stderr)
        print(_("Para restaurarla de todos modos, repita la orden con --confirm."), file=sys.stderr)
        return EXIT_FAILED
    except InvalidBackup as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    print(
        _("Restaurada la copia {file}. El estado anterior se guardó en {previous}.").format(
            file=args.file, previous=previous.path
        )
    )
    return EXIT_OK


def _cmd_audit(args: argparse.Namespace) -> int:
    from tambo_desktop.services.audit import AuditFilter, AuditService

    period = common.parse_range(args.date_from, args.date_to)
    if period is None:
        return EXIT_USAGE
    start, end = period
    fmt = args.format or ("xlsx" if args.out.suffix.lower() == ".xlsx" else "csv")
    common.open_database(args)
    try:
        rows = AuditService(common.session()).export(args.out, AuditFilter(date_from=start, date_to=end), fmt)
    except OSError as exc:
        raise TamboError(
            _("No se puede escribir {path}: {reason}").format(path=args.out, reason=common.os_reason(exc))
        ) from exc
    print(_("Exportadas {n} líneas de auditoría a {path}.").format(n=rows, path=args.out))
    return EXIT_OK


def _cmd_indicators(args: argparse.Namespace) -> int:
    import json

    from tambo_desktop.services.goals import parse_month
    from tambo_desktop.services.indicators import IndicatorService

    if args.month:
        period = parse_month(args.month)
        if period is None:
            print(_("Mes no válido: «{value}». Escríbalo como AAAA-MM.").format(value=args.month), file=sys.stderr)
            return EXIT_USAGE
    else:
        period = parse_month(f"{args.year}-01")
        if period is None or not args.year.strip().isdigit():
            print(_("Año no válido: «{value}». Escríbalo como AAAA.").format(value=args.year), file=sys.stderr)
            return EXIT_USAGE
    common.open_database(args)
    service = IndicatorService(common.session())
    result = service.month(*period) if args.month else service.year(period[0])
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        common.print_indicators(result)
    return EXIT_OK


def _cmd_import_persons(args: argparse.Namespace) -> int:
    from tambo_desktop.cli.progress import StderrProgress
    from tambo_desktop.formats.persons import import_persons
    from tambo_desktop.services.persons import PersonService

    common.open_database(args)
    summary = import_persons(PersonService(common.session()), args.file, progress=StderrProgress())
    print(
        _(
            "Importado: {rows} filas; {created} personas nuevas, {updated} completadas, {unchanged} ya registradas sin cambios."
        ).format(rows=summary.rows, created=summary.created, updated=summary.updated, unchanged=summary.unchanged)
    )
    if summary.other_name_rows:
        rows = ", ".join(str(n) for n in summary.other_name_rows)
        print(
            _("Revise las filas {rows}: su documento ya está registrado con otro nombre; no se cambiaron.").format(
                rows=rows
            )
        )
    return EXIT_OK


def _cmd_export_attentions(args: argparse.Namespace) -> int:
    from tambo_desktop.formats.persons import export_attentions

    if not args.date_from or not args.date_to:
        print(_("Indique el periodo: --from AAAA-MM-DD --to AAAA-MM-DD."), file=sys.stderr)
        return EXIT_USAGE
    period = common.parse_range(args.date_from, args.date_to)
    if period is None:
        return EXIT_USAGE
    start, end = period
    common.open_database(args)
    rows = export_attentions(common.session(), args.out, start, end, args.format)
    print(
        _("Exportadas {n} atenciones del {start} al {end} a {path}.").format(
            n=rows, start=start, end=end, path=args.out
        )
    )
    return EXIT_OK


def _cmd_person(args: argparse.Namespace) -> int:
    from tambo_desktop.services.attentions import AttentionFilter, AttentionService
    from tambo_desktop.services.persons import PersonService
    from tambo_desktop.services.rights import RightsService

    if args.person_verb == "export" and args.out.suffix.lower() not in (".json", ".pdf"):
        message = _("Formato no admitido: «{suffix}». Use un archivo .json o .pdf.").format(suffix=args.out.suffix)
        print(message, file=sys.stderr)
        return EXIT_USAGE
    common.open_database(args)
    session = common.session()
    if args.person_verb == "purge-backups":
        return _purge_backups(session, args.person_id)
    person = PersonService(session).find_by_document(args.document_type, args.document)
    if person is None:
        print(
            _("No hay ninguna persona registrada con el documento {number}.").format(number=args.document.strip()),
            file=sys.stderr,
        )
        return EXIT_FAILED
    rights = RightsService(session)
    if args.person_verb == "export":
        rights.export(person.id, args.out)
        print(_("Exportados todos los datos de {name} a {path}.").format(name=person.full_name, path=args.out))
        return EXIT_OK
    counted = AttentionService(session).count(AttentionFilter(person_id=person.id, include_voided=False))
    done = rights.anonymize(person.id)
    print(
        _(
            "Anonimizada la persona con documento {number}: se borraron sus nombres, apellidos, documento, teléfono "
            "y notas. Sus {n} atenciones siguen contando en los indicadores, sin su nombre."
        ).format(number=person.document_number, n=counted)
    )
    print(
        _("Se borraron {n} valores suyos de la auditoría; la cadena de auditoría sigue íntegra.").format(
            n=done.erased_values
        )
    )
    if args.purge_backups:
        return _purge_backups(session, person.id)
    from tambo_desktop.services.backups import BackupService

    holding = BackupService(session).holding(person.id)
    if holding:
        print(_("Estas copias de seguridad anteriores todavía tienen sus datos:"))
        for info in holding:
            print(f"  {info.path}")
        print(_("Para borrarlas: tambo-cli person purge-backups --id {id}").format(id=person.id))
    return EXIT_OK


def _purge_backups(session, person_id: int) -> int:
    from tambo_desktop.services.backups import BackupService

    purged = BackupService(session).purge_holding(person_id)
    print(_("Copia de seguridad verificada nueva, sin la persona: {file}").format(file=purged.fresh.path))
    for path in purged.deleted:
        print(_("Borrada: {file}").format(file=path))
    print(_("Borradas {n} copias de seguridad que tenían sus datos.").format(n=len(purged.deleted)))
    return EXIT_OK


VERBS = {
    "init": _cmd_init,
    "demo": _cmd_demo,
    "check": _cmd_check,
    "import": _cmd_import,
    "export": _cmd_export,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "audit": _cmd_audit,
    "indicators": _cmd_indicators,
    "person": _cmd_person,
    "calendar": cli_calendar.cmd_calendar,
    "interventions": cli_calendar.cmd_interventions,
    "training": cli_calendar.cmd_training,
    "trips": cli_calendar.cmd_trips,
    "fuel": cli_calendar.cmd_fuel,
    **campaigns.VERBS,
    **servers.VERBS,
    **staff.VERBS,
    **report.VERBS,
    **voyage.VERBS,
    **cli_package.VERBS,
    **cli_central.VERBS,
    **cli_accounts.VERBS,
}

logging.getLogger(__name__).addHandler(logging.NullHandler())
