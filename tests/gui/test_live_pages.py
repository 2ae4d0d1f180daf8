"""Live pages (issue 17, part 3): the persons page in front on this PC shows, within a second and
a half, a person another PC (a real process on the same SQLite file) registered; nothing clicked."""

from __future__ import annotations

import multiprocessing as mp
import time

from tambo_desktop.gui.app import open_main_window
from tambo_desktop.gui.live import POLL_MS


def _other_pc(url: str, results) -> None:
    from tambo_desktop.db.connection import close_database, open_database
    from tambo_desktop.services.person_form import PersonForm
    from tambo_desktop.services.persons import PersonService
    from tambo_desktop.services.session import system_session

    open_database(url)
    PersonService(system_session()).save(PersonForm("dni", "43112233", "Nelly", "Condori", sex="F"))
    results.put(time.time())
    close_database()


def test_the_persons_page_shows_what_another_pc_registered(gui_home, make_tambo, qtbot):
    admin = make_tambo()
    window = open_main_window(admin.user, gui_home)
    qtbot.addWidget(window)
    page = window.persons_page
    window.show_page(page)
    assert page.model.rowCount() == 0

    context = mp.get_context("spawn")
    results = context.Queue()
    worker = context.Process(target=_other_pc, args=(gui_home, results))
    worker.start()
    qtbot.waitUntil(lambda: not results.empty(), timeout=60_000)
    committed = results.get()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    seen = time.time()
    worker.join(timeout=60)
    assert seen - committed < POLL_MS / 1000 + 1.0, seen - committed
    assert "Condori" in str(page.model.rows[0])
    window.close()


def test_a_refresh_keeps_the_person_being_read(gui_home, make_tambo, qtbot):
    """Another PC's save refreshes the persons page: the person the user is reading stays shown and
    selected (found in the three-window tryout: the page jumped to the first person of the list)."""
    from tambo_desktop.services.person_form import PersonForm
    from tambo_desktop.services.persons import PersonService

    admin = make_tambo()
    service = PersonService(admin)
    ids = [
        service.save(PersonForm("dni", f"4311223{i}", name, "Quispe", sex="F"))
        for i, name in enumerate(("Ana", "Bety", "Carla"))
    ]
    window = open_main_window(admin.user, gui_home)
    qtbot.addWidget(window)
    page = window.persons_page
    window.show_page(page)
    page.table.selectRow(2)
    assert page.person.id == ids[2]
    service.save(PersonForm("dni", "43112239", "Dina", "Apaza", sex="F"))  # sorts first in the list
    window._another_pc_saved("person")
    assert page.model.rowCount() == 4
    assert page.person.id == ids[2] and page.name.text() == "Carla Quispe"
    assert page.model.row_at(page.table.currentIndex()).id == ids[2]
    window.close()
