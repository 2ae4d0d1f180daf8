"""``tambo-cli central``: the central office's database on PostgreSQL (issue 20, part 2).

Every verb but ``init`` and ``public-key`` signs in: ``--user NAME``, the password on the first line
of standard input (as ``init`` reads the first administrator's)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tambo_desktop.cli import common
from tambo_desktop.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, output_file
from tambo_desktop.i18n import _

PACKAGE_SUFFIX = ".tpkg"


def add_parsers(verbs) -> None:
    cen = verbs.add_parser(
        "central",
        help=_("la base de datos central de PAIS (PostgreSQL): paquetes de los tambos, indicadores nacionales"),
    )
    cen_verbs = cen.add_subparsers(dest="central_verb", required=True)
    init = cen_verbs.add_parser(
        "init", help=_("crea la base central, sus claves y su administrador (contraseña por la entrada estándar)")
    )
    init.add_argument("--admin-user", required=True, metavar="NOMBRE")
    init.add_argument("--admin-name", default="", metavar="NOMBRE")
    key = cen_verbs.add_parser("public-key", help=_("escribe la clave pública que se instala en los tambos"))
    key.add_argument("--out", type=output_file, required=True, metavar="ARCHIVO")
    key.add_argument("--name", default="PAIS", metavar="NOMBRE")

    def signed(name: str, text: str) -> argparse.ArgumentParser:
        sub = cen_verbs.add_parser(name, help=text)
        sub.add_argument(
            "--user",
            required=True,
            metavar="NOMBRE",
            help=_("cuenta de la oficina central (contraseña por la entrada estándar)"),
        )
        return sub

    imp = signed("import", _("importa paquetes de los tambos (archivos o carpetas, por ejemplo una memoria USB)"))
    imp.add_argument("files", type=Path, nargs="+", metavar="ARCHIVO")
    ind = signed("indicators", _("los indicadores nacionales de un mes o de un año, por tambo, departamento y entidad"))
    period = ind.add_mutually_exclusive_group(required=True)
    period.add_argument("--month", metavar="AAAA-MM")
    period.add_argument("--year", metavar="AAAA")
    ind.add_argument("--json", action="store_true", help=_("en JSON, con claves estables"))
    ind.add_argument(
        "--live", action="store_true", help=_("contados ahora en las atenciones, no en los resúmenes de cada tambo")
    )
    exp = signed("export", _("exporta las atenciones y usuarios por tambo y entidad a CSV o XLSX"))
    exp_period = exp.add_mutually_exclusive_group(required=True)
    exp_period.add_argument("--month", metavar="AAAA-MM")
    exp_period.add_argument("--year", metavar="AAAA")
    exp.add_argument("--out", type=output_file, required=True, metavar="ARCHIVO")
    # «central conflicts [list]» and «central conflicts resolve ID --keep tambo|central»; --user and
    # --json may come before or after the sub-verb (SUPPRESS: a sub-verb's default never hides them)
    con = cen_verbs.add_parser(
        "conflicts", help=_("los registros que llegaron con dos contenidos distintos, para revisarlos")
    )
    con_verbs = con.add_subparsers(dest="conflicts_verb")
    con_list = con_verbs.add_parser("list", help=_("lista los conflictos por revisar"))
    con_list.add_argument("--all", action="store_true", default=argparse.SUPPRESS, help=_("también los ya resueltos"))
    con_fix = con_verbs.add_parser(
        "resolve", help=_("resuelve un conflicto: queda el registro del tambo o el que tenía la base central")
    )
    con_fix.add_argument("id", type=int, metavar="ID")
    con_fix.add_argument("--keep", required=True, choices=["tambo", "central"],
                         help=_("tambo: el registro que llegó en el paquete; central: el que ya tenía la base central"))  # fmt: skip
    for sub in (con, con_list, con_fix):
        sub.add_argument("--user", metavar="NOMBRE", default=argparse.SUPPRESS,
                         help=_("cuenta de la oficina central (contraseña por la entrada estándar)"))  # fmt: skip
        sub.add_argument(
            "--json", action="store_true", default=argparse.SUPPRESS, help=_("en JSON, con claves estables")
        )
    tmb = signed("tambos", _("los tambos que enviaron paquetes"))
    tmb.add_argument(
        "--set-unit", nargs=2, metavar=("CÓDIGO", "UNIDAD"), help=_("pone un tambo en una Unidad Territorial")
    )
    ref = signed("reference", _("escribe el paquete de datos de referencia para los tambos (catálogo, metas, avisos)"))
    ref.add_argument("--out", type=output_file, required=True, metavar="ARCHIVO")
    ref.add_argument(
        "--entities",
        type=Path,
        metavar="CSV",
        help=_("actualiza antes las entidades (code,name,sector,level[,active])"),
    )
    ref.add_argument(
        "--services",
        type=Path,
        metavar="CSV",
        help=_("actualiza antes los servicios (code,entity,name,category[,active])"),
    )
    ref.add_argument(
        "--goals", type=Path, metavar="CSV", help=_("metas por tambo (tambo,year,month,entity,attentions,users)")
    )
    ref.add_argument(
        "--notice", action="append", default=[], metavar="TEXTO", help=_("un aviso para los tambos (se puede repetir)")
    )
    rdr = signed(
        "readers",
        _(
            "crea o cambia el rol de PostgreSQL de solo lectura para analistas y sus herramientas (su contraseña en la segunda línea)"
        ),
    )
    rdr.add_argument("--role", required=True, metavar="ROL")
    usr = signed("add-user", _("crea una cuenta de la oficina central (su contraseña en la segunda línea)"))
    usr.add_argument("username", metavar="NOMBRE")
    usr.add_argument("--role", choices=["admin", "analyst"], default="analyst")


def _open(args: argparse.Namespace, ready: bool = True):
    from tambo_desktop.central import schema
    from tambo_desktop.db.connection import open_database

    db = open_database(common.database_url(args))
    schema.require_postgres(db)
    if ready and not schema.is_ready(db):
        raise schema.CentralError(_("Esta base de datos no es la central: créela con «central init»."))
    if ready:
        schema.upgrade(db)  # a central database of an earlier release
    return db


def _password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _sign_in(args: argparse.Namespace):
    from tambo_desktop.central.accounts import sign_in

    return sign_in(args.user, _password())


def _period(args: argparse.Namespace):
    from tambo_desktop.services.goals import parse_month

    if args.month:
        period = parse_month(args.month)
        if period is None:
            print(_("Mes no válido: «{value}». Escríbalo como AAAA-MM.").format(value=args.month), file=sys.stderr)
        return period
    period = parse_month(f"{args.year}-01")
    if period is None or not args.year.strip().isdigit():
        print(_("Año no válido: «{value}». Escríbalo como AAAA.").format(value=args.year), file=sys.stderr)
        return None
    return period


def package_files(paths: list[Path]) -> list[Path]:
    """The packages named: files, and the packages inside the folders named (sorted by name)."""
    found: list[Path] = []
    for path in paths:
        found += sorted(path.glob(f"*{PACKAGE_SUFFIX}")) if path.is_dir() else [path]
    return found


def cmd_central(args: argparse.Namespace) -> int:
    verb = args.central_verb
    if verb == "init":
        return _init(args)
    if verb == "public-key":
        from tambo_desktop import files
        from tambo_desktop.central import keys

        key = keys.load().public(args.name)
        files.write_bytes(args.out, key.to_text().encode("utf-8"))
        print(_("Clave pública de la oficina central ({key}) escrita en {path}.").format(key=key.id, path=args.out))
        return EXIT_OK
    if not getattr(args, "user", None):
        print(_("Indique su cuenta de la oficina central con --user NOMBRE."), file=sys.stderr)
        return EXIT_USAGE
    _open(args)
    session = _sign_in(args)
    if verb == "import":
        return _import(session, args)
    if verb == "indicators":
        return _indicators(session, args)
    if verb == "export":
        return _export(session, args)
    if verb == "conflicts":
        return _conflicts(session, args)
    if verb == "reference":
        from tambo_desktop.central.reference import make

        made = make(session, args.out, args.entities, args.services, args.goals, tuple(args.notice))
        print(_("Paquete de datos de referencia versión {version}: {entities} entidades, {services} servicios, {goals} metas, en {path}.").format(
            version=made.version, entities=made.entities, services=made.services, goals=made.goals, path=made.path))  # fmt: skip
        return EXIT_OK
    if verb == "readers":
        from tambo_desktop.central.readers import VIEW, create_reader

        tables = create_reader(session, args.role, _password())
        print(
            _("Rol de solo lectura {role}: puede leer {n} tablas y la vista {view}.").format(
                role=args.role, n=len(tables), view=VIEW
            )
        )
        return EXIT_OK
    if verb == "add-user":
        from tambo_desktop.central.accounts import create_user

        session.require("central.accounts")
        user = create_user(args.username, _password(), args.role)
        print(_("Cuenta {user} creada ({role}).").format(user=user.username, role=user.role))
        return EXIT_OK
    from tambo_desktop.central.review import tambos

    if args.set_unit:
        from tambo_desktop.central.indicators import set_unit

        set_unit(session, *args.set_unit)
    rows = [(t.code, t.name, t.department, t.unit, t.packages, t.last_seq or "") for t in tambos(session)]
    common.print_table(
        [_("código"), _("nombre"), _("departamento"), _("Unidad Territorial"), _("paquetes"), _("último")],
        rows,
        right=(4, 5),
    )
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from tambo_desktop.central import keys, schema
    from tambo_desktop.central.accounts import create_user
    from tambo_desktop.central.models import CentralUser

    db = _open(args, ready=False)
    password = _password()
    made = schema.create(db)
    key = keys.load(create=True).public()
    if not CentralUser.select().exists():
        user = create_user(args.admin_user, password, "admin", args.admin_name)
        print(_("Base central lista; administrador: {user}.").format(user=user.username))
    elif not made:
        print(_("La base central ya estaba creada."))
    print(
        _("Clave de la oficina central: {key} (escríbala para los tambos con «central public-key»).").format(key=key.id)
    )
    return EXIT_OK


def _import(session, args: argparse.Namespace) -> int:
    from tambo_desktop.central.importer import import_file
    from tambo_desktop.services.packages import PackageError

    files = package_files(args.files)
    if not files:
        print(_("No hay paquetes (*.tpkg) en lo indicado."), file=sys.stderr)
        return EXIT_USAGE
    failed = 0
    for path in files:
        try:
            r = import_file(session, path)
        except (PackageError, OSError) as exc:
            failed += 1
            reason = common.os_error_message(exc) if isinstance(exc, OSError) else str(exc)
            print(_("RECHAZADO {file}: {reason}").format(file=path.name, reason=reason), file=sys.stderr)
            continue
        if r.already:
            print(
                _("{file}: paquete {n} del tambo {code} ya importado; nada cambió.").format(
                    file=path.name, n=r.seq, code=r.tambo_code
                )
            )
            continue
        print(
            _("{file}: paquete {n} del tambo {code}: {inserted} nuevos, {updated} actualizados, {unchanged} sin cambios, "
              "{older} más antiguos (no aplicados), {conflicts} conflictos, {tombstones} bajas.").format(
                file=path.name, n=r.seq, code=r.tambo_code, inserted=r.inserted, updated=r.updated, unchanged=r.unchanged,
                older=r.older, conflicts=r.conflicts, tombstones=r.tombstones)
        )  # fmt: skip
    return EXIT_FAILED if failed else EXIT_OK


def _indicators(session, args: argparse.Namespace) -> int:
    from tambo_desktop.central import indicators

    period = _period(args)
    if period is None:
        return EXIT_USAGE
    result = (
        indicators.month(session, *period, live=args.live)
        if args.month
        else indicators.year(session, period[0], live=args.live)
    )
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, sort_keys=True))
        return EXIT_OK
    common.print_indicators(result)
    return EXIT_OK


def _export(session, args: argparse.Namespace) -> int:
    import datetime as dt

    from tambo_desktop.central.review import export_table
    from tambo_desktop.services.indicators import month_range

    period = _period(args)
    if period is None:
        return EXIT_USAGE
    start, end = month_range(*period) if args.month else (dt.date(period[0], 1, 1), dt.date(period[0], 12, 31))
    fmt = "xlsx" if args.out.suffix.lower() == ".xlsx" else "csv"
    rows = export_table(session, start, end, args.out, fmt)
    print(_("Exportadas {n} filas a {path}.").format(n=rows, path=args.out))
    return EXIT_OK


def _conflicts(session, args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from tambo_desktop.central.review import conflicts, resolve

    as_json = getattr(args, "json", False)
    if args.conflicts_verb == "resolve":
        row = resolve(session, args.id, args.keep)
        if as_json:
            print(json.dumps(asdict(row), ensure_ascii=False, indent=2, sort_keys=True))
        elif args.keep == "tambo":
            print(_("Conflicto {id} resuelto: queda el registro que llegó del tambo {tambo} (versión {version}).").format(
                id=row.id, tambo=row.other_tambo, version=row.other_version))  # fmt: skip
        else:
            print(_("Conflicto {id} resuelto: queda el registro que tenía la base central (del tambo {tambo}).").format(
                id=row.id, tambo=row.kept_tambo))  # fmt: skip
        return EXIT_OK
    rows = conflicts(session, include_resolved=getattr(args, "all", False))
    if as_json:
        print(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2, sort_keys=True))
        return EXIT_OK
    if not rows:
        print(_("No hay conflictos por revisar."))
    for r in rows:
        print(_("Conflicto {id}: {kind} {uuid} (versión {version}), guardado del tambo {kept}, otro del tambo {other} (versión {other_version})").format(
            id=r.id, kind=r.kind, uuid=r.uuid, version=r.version, kept=r.kept_tambo, other=r.other_tambo, other_version=r.other_version))  # fmt: skip
        if r.kept:
            print("  " + _("resuelto por {user}: queda el registro {kept}").format(user=r.resolved_by, kept=r.kept))
        for name, (kept, other) in r.fields.items():
            print(f"  {name}: {kept!r} | {other!r}")
    return EXIT_OK


VERBS = {"central": cmd_central}
