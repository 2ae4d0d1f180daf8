"""A signed-in administrator for service calls in tests (not a demo account)."""

from __future__ import annotations

from tambo_desktop.services.session import CurrentUser, Session, system_session


def admin_session() -> Session:
    user = CurrentUser(id=0, username="prueba-admin", full_name="Prueba", role="admin", language="es")
    return Session(user, system_session().tambo_code)
