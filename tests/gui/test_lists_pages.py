"""The atenciones list (pages fetched on demand, filters, sort, void) and the persons page."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tambo_desktop import dates
from tambo_desktop.db.models import Attention, Person, Service
from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE
from tambo_desktop.gui import attentions_page, persons_page, translator
from tambo_desktop.gui.attentions_page import AttentionsPage
from tambo_desktop.gui.persons_page import PersonsPage
from tambo_desktop.services import accounts
from tambo_desktop.services.attentions import AttentionService
from tambo_desktop.services.persons import PersonForm, PersonService
from tambo_desktop.services.session import Session

SURNAMES = ("Mamani", "Quispe", "Condori", "Huanca", "Apaza", "Ch'uqi")


@pytest.fixture
def admin(gui_home, load_demo):
    load_demo()
    return Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)


@pytest.fixture
def served(admin):
    """60 people, 5 atenciones each over the last days (300 rows; more than a page of 200)."""
    persons = PersonService(admin)
    desk = AttentionService(admin)
    services = [s.id for s in Service.select().order_by(Service.id).limit(5)]
    now = dates.now().replace(second=0, microsecond=0)
    ids = []
    for i in range(60):
        form = PersonForm(
            "dni",
            f"{41000000 + i:08d}",
            f"Persona{chr(65 + i % 26)}",
            SURNAMES[i % 6],
            "Flores",
            "FM"[i % 2],
            f"0{1 + i % 9}/05/{1950 + i}",
        )
        form.first_names = ("Rosa", "Wilber", "Nelly", "Javier", "Yola", "Edwin")[i % 6] + " " + "ABCDEFGHIJ"[i // 6]
        person = persons.save(form)
        ids.append(person)
        for j, service in enumerate(services):
            desk.record(person, [service], "inside", attended_at=now - dt.timedelta(minutes=i * 5 + j))
    return ids


def test_list_fetches_pages_on_demand_filters_and_sorts(admin, served, qtbot):
    page = AttentionsPage(admin)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert page.model.rowCount() == attentions_page.PAGE_SIZE  # first page only
    page.wait_for_count()
    assert "300" in page.count_label.text()
    while page.model.canFetchMore():
        page.model.fetchMore()
    assert page.model.rowCount() == 300
    dates = [r.attended_at for r in page.model.rows]
    assert dates == sorted(dates, reverse=True)
    page.text.setText("Ch'uqi")
    page.reload()
    assert page.model.rowCount() == 50 and all("Ch'uqi" in r.person_name for r in page.model.rows)
    page.text.setText("chuqi")  # without the apostrophe
    page.reload()
    assert page.model.rowCount() == 50
    page.text.clear()
    page.sex.setCurrentIndex(page.sex.findData("F"))
    assert page.model.rowCount() == 150 and {r.sex for r in page.model.rows} == {"F"}
    page.sex.setCurrentIndex(0)
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # by person, in the database
    keys = [Person.get_by_id(r.person_id).name_key for r in page.model.rows]
    assert page.model.sort_key == "person" and keys == sorted(keys)


def test_void_from_the_list(admin, served, qtbot, monkeypatch):
    page = AttentionsPage(admin)
    qtbot.addWidget(page)
    page.refresh()
    page.table.selectRow(0)
    monkeypatch.setattr(attentions_page.QInputDialog, "getText", lambda *a, **k: ("Registro duplicado", True))
    changed = []
    page.changed.connect(lambda: changed.append(1))
    page.void_selected()
    voided = Attention.get(Attention.voided == True)  # noqa: E712
    assert voided.void_reason == "Registro duplicado" and changed
    assert page.model.rows[0].voided
    page.voided.setChecked(False)
    page.wait_for_count()
    assert page.model.rowCount() == attentions_page.PAGE_SIZE and "299" in page.count_label.text()


def test_person_page_history_correction_opposition_anonymise_merge(admin, served, qtbot, monkeypatch):
    page = PersonsPage(admin)
    qtbot.addWidget(page)
    page.refresh()
    assert page.model.rowCount() == 60
    page.search.setText("nelly")
    page.reload()
    assert page.model.rowCount() == 10
    page.table.selectRow(0)
    person = page.person
    assert person is not None and not page.detail.isHidden()
    assert page.history_model.rowCount() == 5
    # a correction through the dialog goes to the history
    dialog = persons_page.PersonDialog(page.service, page._communities(), person, page)
    dialog.form_box.phone.setText("951 234 567")
    dialog._save()
    assert dialog.result() == dialog.DialogCode.Accepted
    page.show_person(person.id)
    assert any("phone" in r.changes for r in page.changes_model.rows)
    # a bad correction shows the field error and changes nothing
    dialog = persons_page.PersonDialog(page.service, page._communities(), page.person, page)
    dialog.form_box.document_number.setText("1234")
    dialog._save()
    assert not dialog.form_box.error_label.isHidden() and "8" in dialog.form_box.error_label.text()
    assert Person.get_by_id(person.id).document_number == person.document_number
    # opposition
    page.opposition.click()
    assert Person.get_by_id(person.id).opposition
    # anonymise: the confirmation names the older backup that still holds the person; the
    # administrator confirms and ticks its purge (issue 15.5)
    from tambo_desktop.db import backups

    held = backups.backup_now("manual")
    asked: list[QMessageBox] = []

    def confirm(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append(box)
        box.checkBox().setChecked(True)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(persons_page.QMessageBox, "exec", confirm)
    monkeypatch.setattr(persons_page.QMessageBox, "information", lambda *a, **k: None)
    page.anonymize_person()
    qtbot.waitUntil(lambda: Person.get_by_id(person.id).anonymized and not held.path.exists(), timeout=20000)
    assert (
        held.path.name in asked[0].informativeText() and "1 copia de seguridad anterior" in asked[0].informativeText()
    )
    gone = Person.get_by_id(person.id)
    assert gone.anonymized and gone.first_names == "" and gone.document_number is None
    assert [info.kind for info in backups.list_backups()] == ["manual"]  # the new one, made first, without the person
    assert Attention.select().where(Attention.person == person.id).count() == 5  # still counted
    # merge a duplicate: the kept person receives the atenciones
    keep, remove = served[1], served[7]
    page.show_person(keep)
    monkeypatch.setattr(persons_page.MergeDialog, "exec", lambda self: 1)
    monkeypatch.setattr(persons_page.MergeDialog, "chosen", lambda self: remove)
    page.merge_person()
    assert Attention.select().where(Attention.person == keep).count() == 10
    assert Person.get_or_none(Person.id == remove) is None


def test_pages_retranslate(admin, served, qtbot):
    lists = AttentionsPage(admin)
    people = PersonsPage(admin)
    for widget in (lists, people):
        qtbot.addWidget(widget)
    lists.refresh()
    people.refresh()
    for lang in ("qu", "ay"):
        translator.switch_language(lang)
        from tambo_desktop import i18n

        with i18n.use_language(lang):
            assert lists.title.text() == i18n._("Atenciones") != "Atenciones"
            assert people.title.text() == i18n._("Personas")
            assert lists.model.headerData(0, Qt.Orientation.Horizontal) == i18n._("Fecha y hora")
    translator.switch_language("es")


def test_shown_again_the_list_keeps_its_rows_until_something_is_saved(admin, served, qtbot, monkeypatch):
    """Every visit re-read the pickers and the first rows on the GUI thread (0.36 s on the large
    demo); and the place the user had scrolled to was lost. Now a visit reads again only after a
    save — here, or on another PC (the audit trail's last line tells)."""
    page = AttentionsPage(admin)
    qtbot.addWidget(page)
    page.show()
    page.show_again()  # the first visit reads
    reads = []
    real = page.service.list
    monkeypatch.setattr(page.service, "list", lambda *a, **k: reads.append(1) or real(*a, **k))
    page.model.fetchMore()
    assert page.model.rowCount() == 300 and len(reads) == 1
    page.show_again()  # nothing saved since: nothing read, the scrolled rows kept
    assert len(reads) == 1 and page.model.rowCount() == 300
    AttentionService(admin).record(served[0], [Service.select().first().id], "inside")
    page.show_again()  # a save since the last read: the list is read again, the new row in it
    assert len(reads) == 2 and page.model.rowCount() == attentions_page.PAGE_SIZE
    page.wait_for_count()
    assert "301" in page.count_label.text()
