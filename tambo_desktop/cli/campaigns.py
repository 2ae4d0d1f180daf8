"""Command-line verbs of the campaigns: ``flyer``, ``letters``, ``radio-script`` and ``campaigns list``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tambo_desktop.cli import common
from tambo_desktop.cli.common import EXIT_OK, output_file
from tambo_desktop.errors import TamboError
from tambo_desktop.i18n import N_, _

CAMPAIGN_HEADERS = (N_("ID"), N_("Intervención"), N_("Tareas"), N_("Campaña"))
UNKNOWN_CAMPAIGN = N_("No hay ninguna campaña con el ID «{value}»; «tambo-cli campaigns list» muestra los ID.")
UNKNOWN_INTERVENTION = N_(
    "No hay ninguna intervención con el ID «{value}»; «tambo-cli interventions list» muestra los ID."
)


def _ids(args: argparse.Namespace, service) -> tuple[int | None, int | None]:
    """The campaign and the intervention the options name (as ids), checked to exist."""
    campaign = getattr(args, "campaign", None)
    intervention = getattr(args, "intervention", None)
    if campaign is not None:
        campaign = common.resolve(campaign, service.find_id, UNKNOWN_CAMPAIGN)
    if intervention is not None:
        intervention = common.resolve(intervention, service.interventions.find_id, UNKNOWN_INTERVENTION)
    return campaign, intervention


def add_parsers(verbs) -> None:
    fly = verbs.add_parser("flyer", help=_("imprime el volante de una intervención o de una campaña (PDF)"))
    which = fly.add_mutually_exclusive_group(required=True)
    which.add_argument("--intervention", type=common.record_ref, metavar="ID")
    which.add_argument("--campaign", type=common.record_ref, metavar="ID")
    fly.add_argument("--template", choices=["a4", "a5", "a6"], default="a5")
    fly.add_argument("--languages", default=None, metavar="es,qu", help=_("uno o dos idiomas, separados por coma"))
    fly.add_argument("--photo", type=Path, metavar="FOTO", help=_("una foto JPEG o PNG (en lugar de la de la campaña)"))
    fly.add_argument("--color", action="store_true", help=_("foto en colores (por omisión, en grises)"))
    fly.add_argument("--out", type=output_file, required=True)
    let = verbs.add_parser("letters", help=_("imprime los oficios a los dirigentes de una campaña (PDF)"))
    let.add_argument("--campaign", type=common.record_ref, required=True, metavar="ID")
    let.add_argument("--delivery", action="store_true", help=_("la lista de entrega en lugar de los oficios"))
    let.add_argument("--out", type=output_file, required=True)
    rad = verbs.add_parser(
        "radio-script", help=_("imprime el guion de radio de una intervención o de una campaña (PDF)")
    )
    which = rad.add_mutually_exclusive_group(required=True)
    which.add_argument("--intervention", type=common.record_ref, metavar="ID")
    which.add_argument("--campaign", type=common.record_ref, metavar="ID")
    rad.add_argument("--languages", default=None, metavar="es,ay")
    rad.add_argument("--out", type=output_file, required=True)
    cam = verbs.add_parser("campaigns", help=_("trabaja con las campañas de difusión"))
    cam_verbs = cam.add_subparsers(dest="campaigns_verb", required=True)
    cam_list = cam_verbs.add_parser("list", help=_("lista las campañas con su número (ID)"))
    cam_list.add_argument("--json", action="store_true", help=_("en JSON, con claves estables"))


def _languages(text: str | None, local: str | None = "qu") -> list[str]:
    """``--languages`` as codes; when not given, Spanish and ``local`` (a campaign's language: '' for
    Spanish only)."""
    if text is None:
        return ["es", local] if local else ["es"]
    return [x.strip().lower() for x in text.split(",") if x.strip()]


def _writable(path: Path, action):
    try:
        return action()
    except OSError as exc:
        raise TamboError(
            _("No se puede escribir {path}: {reason}").format(path=path, reason=common.os_reason(exc))
        ) from exc


def cmd_flyer(args: argparse.Namespace) -> int:
    from tambo_desktop.documents import flyers
    from tambo_desktop.services.campaigns import CampaignService, content_for

    common.open_database(args)
    service = CampaignService(common.session())
    campaign, intervention = _ids(args, service)
    campaign_id = campaign or (service.for_intervention(intervention) if intervention else None)
    if campaign_id is not None:
        content = service.flyer_content(campaign_id)
    else:
        content = content_for([service.interventions.get(intervention)])
    try:
        local = content.local_language if campaign_id is not None else "qu"
        languages = flyers.check_languages(_languages(args.languages, local), content.local_language)
    except TamboError as exc:  # --languages does not fit the campaign's texts
        raise common.BadInput(str(exc)) from exc
    if args.photo:
        content.photo = args.photo.read_bytes() if args.photo.is_file() else None
        if content.photo is None:
            raise TamboError(_("No se encuentra el archivo {name}.").format(name=args.photo))
    result = _writable(args.out, lambda: flyers.render(content, args.template, languages, args.out, not args.color))
    if campaign_id is not None:
        service.record_document(campaign_id, "flyer", {"template": args.template, "languages": languages,
                                                       "grey": not args.color}, result.pages)  # fmt: skip
    print(_("Volante impreso en {path}.").format(path=args.out))
    if result.notice:
        print(result.notice)
    return EXIT_OK


def cmd_letters(args: argparse.Namespace) -> int:
    from tambo_desktop.services.campaigns import CampaignService
    from tambo_desktop.services.letters import LetterService

    common.open_database(args)
    session = common.session()
    campaign, _intervention = _ids(args, CampaignService(session))
    service = LetterService(session)
    if args.delivery:
        pages = _writable(args.out, lambda: service.export_delivery_pdf(campaign, args.out))
        print(_("Lista de entrega impresa en {path} ({n} páginas).").format(path=args.out, n=pages))
    else:
        count = _writable(args.out, lambda: service.export_pdf(campaign, args.out))
        print(_("{n} oficios impresos en {path}.").format(n=count, path=args.out))
    return EXIT_OK


def cmd_radio(args: argparse.Namespace) -> int:
    from tambo_desktop.services.radio import RadioService, timing_note

    common.open_database(args)
    service = RadioService(common.session())
    campaign, intervention = _ids(args, service.campaigns)
    if campaign:
        script = service.for_campaign(campaign, _languages(args.languages, None) if args.languages else None)
        campaign_id: int | None = campaign
    else:
        assert intervention is not None  # the options are a required group: one or the other
        script = service.for_intervention(intervention, _languages(args.languages))
        campaign_id = service.campaigns.for_intervention(intervention)
    _writable(args.out, lambda: service.export_pdf(script, args.out, campaign_id))
    print(_("Guion de radio impreso en {path}.").format(path=args.out))
    for language, text in script.texts.items():
        print(f"[{language}] {timing_note(text, language)}")
    return EXIT_OK


def cmd_campaigns(args: argparse.Namespace) -> int:
    from tambo_desktop.i18n import format_date
    from tambo_desktop.services.campaigns import CampaignService

    common.open_database(args)
    rows = CampaignService(common.session()).list()
    if args.json:
        common.print_json(
            [
                {
                    "id": r.id,
                    "uuid": r.uuid,
                    "title": r.title,
                    "starts_on": r.starts_on.isoformat(),
                    "first_day": r.first_day.isoformat() if r.first_day else None,
                    "interventions": r.interventions,
                    "tasks_done": r.tasks_done,
                    "tasks": r.tasks,
                }  # fmt: skip
                for r in rows
            ]
        )
        return EXIT_OK
    if not rows:
        print(_("No hay campañas."), file=sys.stderr)
        return EXIT_OK
    table = [[r.id, format_date(r.first_day, "short") if r.first_day else "", r.progress, r.title] for r in rows]
    common.print_table([_(h) for h in CAMPAIGN_HEADERS], table, right=(0, 2))
    return EXIT_OK


VERBS = {"flyer": cmd_flyer, "letters": cmd_letters, "radio-script": cmd_radio, "campaigns": cmd_campaigns}
