"""Command line: no verb starts the GUI; verbs run headless jobs with the same services."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tambo_desktop import __version__, i18n, paths
from tambo_desktop.__about__ import APP_NAME
from tambo_desktop.errors import ImportFileError, TamboError, ValidationError
from tambo_desktop.i18n import _

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tambo-desktop", description=_("TAMBO Desktop: la aplicación de oficina del tambo."))
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--home", metavar="DIR", help=_("carpeta de todos los datos (base de datos, copias, registros)"))
    parser.add_argument("--db", metavar="URL", help=_("base de datos: sqlite:///ARCHIVO o postgresql://usuario@servidor/base"))
    parser.add_argument("--lang", metavar="CODE", help=_("idioma: es, qu o ay"))
    parser.add_argument("--self-test", action="store_true", help=_("abre la ventana principal con datos de demostración y sale"))
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")

    init = verbs.add_parser("init", help=_("configura el tambo y su primer administrador (contraseña por la entrada estándar)"))
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

    verbs.add_parser("demo", help=_("crea un tambo de demostración (solo en una base de datos vacía o de demostración)"))
    verbs.add_parser("check", help=_("revisa la salud de la base de datos (sale con 0 si todo está bien)"))

    imp = verbs.add_parser("import", help=_("importa datos desde CSV o XLSX"))
    imp.add_argument("what", choices=["communities"])
    imp.add_argument("file", type=Path)

    exp = verbs.add_parser("export", help=_("exporta datos a CSV o XLSX"))
    exp.add_argument("what", choices=["communities"])
    exp.add_argument("--format", choices=["csv", "xlsx"], required=True)
    exp.add_argument("--out", type=Path, required=True)
    return parser


def _configure(args: argparse.Namespace) -> None:
    if args.home:
        paths.set_home(args.home)
    args.lang = args.lang or os.environ.get("TAMBO_LANG")
    i18n.set_language(args.lang or os.environ.get("LANG", "es"))


def _database_url(args: argparse.Namespace) -> str:
    return args.db or os.environ.get("TAMBO_DB") or paths.default_database_url()


def _open(args: argparse.Namespace):
    from tambo_desktop.db.lifecycle import prepare

    return prepare(_database_url(args))


def main(argv: Sequence[str] | None = None) -> int:
    from tambo_desktop.logs import setup_logging

    argv = list(sys.argv[1:] if argv is None else argv)
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    i18n.set_language(early.parse_known_args(argv)[0].lang or os.environ.get("TAMBO_LANG") or os.environ.get("LANG", "es"))
    parser = build_parser()  # help texts in the user's language
    args = parser.parse_args(argv)
    _configure(args)
    if args.verb is None:
        setup_logging(console=False)
        from tambo_desktop.gui.app import run

        return run(_database_url(args), self_test=args.self_test, language=args.lang)
    setup_logging(console=False)
    try:
        return VERBS[args.verb](args)
    except ValidationError as exc:
        for error in exc.errors:
            print(f"{error.field}: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    except ImportFileError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except TamboError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


def _cmd_init(args: argparse.Namespace) -> int:
    from tambo_desktop.services import setup
    from tambo_desktop.services.accounts import AccountForm

    _open(args)
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
    )
    user = setup.initialize(profile, AccountForm(args.admin_user, args.admin_name, "admin", password, args.language))
    print(_("Tambo {code} configurado; administrador: {user}.").format(code=profile.code.upper(), user=user.username))
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from tambo_desktop.services.demo import DEMO_PASSWORD, create_demo

    _open(args)
    summary = create_demo()
    print(
        _("Tambo de demostración listo: {communities} centros poblados, {accounts} cuentas (contraseña «{password}»).").format(
            communities=summary.communities, accounts=summary.accounts, password=DEMO_PASSWORD
        )
    )
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from tambo_desktop.services.health import run_checks

    db = _open(args)
    checks = run_checks(db)
    for check in checks:
        mark = _("bien") if check.ok else _("FALLA")
        print(f"[{mark}] {check.name}: {check.detail}")
    return EXIT_OK if all(c.ok for c in checks) else EXIT_FAILED


def _session():
    from tambo_desktop.services import setup
    from tambo_desktop.services.session import system_session

    if not setup.is_initialized():
        raise TamboError(_("El tambo aún no está configurado: use «init» o «demo» primero."))
    return system_session()


def _cmd_import(args: argparse.Namespace) -> int:
    from tambo_desktop.services.communities import CommunityService
    from tambo_desktop.services.community_io import import_file

    _open(args)
    summary = import_file(CommunityService(_session()), args.file)
    print(
        _("Importado: {c1} centros poblados nuevos, {c2} actualizados; {l1} dirigentes nuevos, {l2} actualizados.").format(
            c1=summary.communities_created,
            c2=summary.communities_updated,
            l1=summary.leaders_created,
            l2=summary.leaders_updated,
        )
    )
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from tambo_desktop.services.communities import CommunityService
    from tambo_desktop.services.community_io import export_file

    _open(args)
    try:
        rows = export_file(CommunityService(_session()), args.out, args.format)
    except OSError as exc:
        raise TamboError(_("No se puede escribir {path}: {reason}").format(path=args.out, reason=exc.strerror or exc)) from exc
    print(_("Exportadas {n} filas a {path}.").format(n=rows, path=args.out))
    return EXIT_OK


VERBS = {"init": _cmd_init, "demo": _cmd_demo, "check": _cmd_check, "import": _cmd_import, "export": _cmd_export}

logging.getLogger(__name__).addHandler(logging.NullHandler())
