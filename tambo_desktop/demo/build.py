"""A realistic demo tambo in Acora (Puno), with Aymara and Quechua communities and staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from tambo_desktop import assets
from tambo_desktop.db.models import Tambo
from tambo_desktop.demo import calendar
from tambo_desktop.demo import data as demo_data
from tambo_desktop.errors import TamboError
from tambo_desktop.formats import communities as community_io
from tambo_desktop.i18n import _
from tambo_desktop.services import setup
from tambo_desktop.services.accounts import AccountForm, AccountService
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.session import Session

DEMO_PASSWORD = "tambo-demo"
DEMO_PROFILE = setup.TamboProfile(
    name="Tambo Jiscullaya",
    code="DEMO-21-0102",
    district_code="210102",
    centro_poblado="Jiscullaya",
    altitude_m="3850",
    address="Plaza principal s/n, Jiscullaya",
    phone="051 365 210",
    default_language="es",
)
DEMO_ACCOUNTS = (
    AccountForm("admin", "Rosa Quispe Mamani", "admin", DEMO_PASSWORD, "es"),
    AccountForm("gestor", "Wilber Condori Apaza", "gestor", DEMO_PASSWORD, "ay"),
    AccountForm("oficina", "Nelly Ticona Choque", "staff", DEMO_PASSWORD, "qu"),
    AccountForm("supervisor", "Javier Huanca Cutipa", "supervisor", DEMO_PASSWORD, "es"),
)


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    communities: int
    accounts: int
    data: demo_data.DataSummary | None = None  # the generated people and atenciones, when a size was asked


def demo_profile(tambo_code: str | None = None) -> setup.TamboProfile:
    """The demo tambo's profile; another ``tambo_code`` makes a demo tambo of its own (its name says the code)."""
    code = (tambo_code or DEMO_PROFILE.code).strip().upper()
    if code == DEMO_PROFILE.code:
        return DEMO_PROFILE
    return replace(DEMO_PROFILE, code=code, name=f"{DEMO_PROFILE.name} {code}")


def create_demo(
    size: str | None = None,
    seed: int = demo_data.DEFAULT_SEED,
    until: dt.datetime | None = None,
    tambo_code: str | None = None,
) -> DemoSummary:
    """Fill an empty database with the demo tambo; refuse to touch a real tambo's data.

    ``size`` (``small``, ``year``, ``large``: see ``demo_data.SIZES``) also generates people,
    atenciones and monthly goals from ``seed``, up to ``until`` (now); without it, only the tambo,
    its accounts and its communities. ``tambo_code`` (another than ``DEMO-21-0102``) makes a demo
    tambo of that code whose people, atenciones and uuids differ from every other code's, so that
    several demo tambos can be brought together in the central database.
    """
    profile = demo_profile(tambo_code)
    tambo = Tambo.select().first()
    if tambo is not None and not tambo.is_demo:
        raise TamboError(_("Esta base de datos es de un tambo real; los datos de demostración no se cargan en ella."))
    if tambo is not None and tambo_code and tambo.code != profile.code:
        raise TamboError(
            _("Esta base de demostración es del tambo {code}; para otro código use una base de datos nueva.").format(
                code=tambo.code
            )
        )
    created = tambo is None
    if created:
        admin = setup.initialize(profile, DEMO_ACCOUNTS[0], is_demo=True)
        session = Session(admin, profile.code)
        accounts = AccountService(session)
        for form in DEMO_ACCOUNTS[1:]:
            accounts.create(form)
    else:
        from tambo_desktop.services.session import system_session

        session = system_session()
    communities = CommunityService(session)
    community_io.import_file(communities, assets.path("demo/communities.csv"))
    calendar.create_facilities(session)
    code = tambo.code if tambo is not None else profile.code
    salt = "" if code == DEMO_PROFILE.code else code
    data = demo_data.load(session, size, seed, until, salt) if size else None
    return DemoSummary(created, communities.count(), len(DEMO_ACCOUNTS), data)
