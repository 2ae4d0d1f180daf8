"""Settings of the tambo that an administrator changes (stored in the database)."""

from __future__ import annotations

from tambo_desktop.db.models import Setting
from tambo_desktop.errors import FieldError, ValidationError
from tambo_desktop.i18n import _
from tambo_desktop.services.session import Session

IDLE_LOCK_KEY = "idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 5
IDLE_RANGE = (1, 120)


def _get(key: str, default: str) -> str:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row else default


def idle_lock_minutes() -> int:
    """Minutes without keyboard or mouse before the session locks itself."""
    try:
        value = int(_get(IDLE_LOCK_KEY, str(DEFAULT_IDLE_MINUTES)))
    except ValueError:
        return DEFAULT_IDLE_MINUTES
    return min(max(value, IDLE_RANGE[0]), IDLE_RANGE[1])


def set_idle_lock_minutes(session: Session, minutes: int) -> None:
    session.require("settings.edit")
    low, high = IDLE_RANGE
    if not low <= minutes <= high:
        raise ValidationError(
            FieldError(
                "idle_lock_minutes",
                _("El bloqueo por inactividad va de {low} a {high} minutos.").format(low=low, high=high),
            )
        )
    old = idle_lock_minutes()
    with session.write():
        Setting.insert(key=IDLE_LOCK_KEY, value=str(minutes)).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: str(minutes)}
        ).execute()
        session.audit("settings", "setting", summary=IDLE_LOCK_KEY, changes={IDLE_LOCK_KEY: [old, minutes]})


STALE_DAYS_KEY = "communities.stale_days"
DEFAULT_STALE_DAYS = 60
STALE_RANGE = (7, 730)


def stale_days() -> int:
    """Days without a visit after which a community is highlighted on the Today page."""
    try:
        value = int(_get(STALE_DAYS_KEY, str(DEFAULT_STALE_DAYS)))
    except ValueError:
        return DEFAULT_STALE_DAYS
    return min(max(value, STALE_RANGE[0]), STALE_RANGE[1])


def set_stale_days(session: Session, days: int) -> None:
    session.require("settings.edit")
    low, high = STALE_RANGE
    if not low <= days <= high:
        raise ValidationError(
            FieldError("stale_days", _("Los días sin visita van de {low} a {high}.").format(low=low, high=high))
        )
    old = stale_days()
    with session.write():
        Setting.insert(key=STALE_DAYS_KEY, value=str(days)).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: str(days)}
        ).execute()
        session.audit("settings", "setting", summary=STALE_DAYS_KEY, changes={STALE_DAYS_KEY: [old, days]})
