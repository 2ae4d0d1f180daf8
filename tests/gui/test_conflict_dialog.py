"""The person and community editors when another PC saved the record meanwhile: the conflict
dialog shows theirs beside the user's; "Volver a cargar" shows theirs in the form, "Aplicar los
míos encima" saves the user's on top (audited so). Real clicks on the real dialog."""

from __future__ import annotations

import dataclasses
import os

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from tambo_desktop.db.models import Community, Person
from tambo_desktop.gui import persons_page
from tambo_desktop.gui.conflict_dialog import ConflictDialog
from tambo_desktop.gui.dialogs import CommunityDialog
from tambo_desktop.services.accounts import AccountForm, AccountService, to_current
from tambo_desktop.services.communities import CommunityForm, CommunityService
from tambo_desktop.services.person_form import PersonForm
from tambo_desktop.services.persons import PersonService
from tambo_desktop.services.session import Session


def _other_pc(admin: Session) -> Session:
    from tambo_desktop.db.models import User

    AccountService(admin).create(AccountForm("gestor", "Pedro Huanca Apaza", "gestor", "clave-segura-2"))
    return Session(to_current(User.get(User.username == "gestor")), admin.tambo_code)


def _answer(qtbot, button: str, seen: list) -> None:
    """When the conflict dialog opens, remember what it shows, then click ``button``."""

    def click() -> None:
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, ConflictDialog) and w.isVisible()), None
        )
        if dialog is None:
            QTimer.singleShot(50, click)
            return
        table = dialog.table
        seen.append((dialog.explain.text(), [table.horizontalHeaderItem(c).text() for c in range(3)],
                     [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]))  # fmt: skip
        if os.environ.get("TAMBO_SCREENSHOTS"):
            dialog.grab().save(os.path.join(os.environ["TAMBO_SCREENSHOTS"], "conflict_dialog.png"))
        qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, click)


def test_person_editor_shows_theirs_and_keeps_mine_on_top(gui_home, make_tambo, qtbot):
    admin = make_tambo()
    gestor = _other_pc(admin)
    service = PersonService(admin)
    pid = service.save(PersonForm("dni", "41223344", "Rosa", "Quispe", sex="F", phone="951111111"))
    dialog = persons_page.PersonDialog(service, [], service.get(pid))  # opened on this PC
    qtbot.addWidget(dialog)
    theirs = service.get(pid)
    PersonService(gestor).save(PersonForm("dni", "41223344", "Rosa", "Quispe", sex="F", phone="952222222",
                                          version=theirs.version), pid)  # fmt: skip
    dialog.form_box.phone.setText("953333333")
    seen: list = []
    _answer(qtbot, "keep_button", seen)
    qtbot.mouseClick(dialog.findChild(persons_page.QDialogButtonBox).button(
        persons_page.QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)  # fmt: skip

    explain, header, rows = seen[0]
    assert "Pedro Huanca Apaza" in explain and header == ["Dato", "Según Pedro Huanca Apaza", "Según usted"]
    assert rows == [["Teléfono", "952222222", "953333333"]]
    assert dialog.result() == dialog.DialogCode.Accepted
    assert Person.get_by_id(pid).phone == "953333333"
    assert "aplicado encima del cambio de Pedro Huanca Apaza" in service.history(pid)[0].summary


def test_community_editor_reloads_theirs(gui_home, make_tambo, qtbot):
    admin = make_tambo()
    gestor = _other_pc(admin)
    service = CommunityService(admin)
    cid = service.save(CommunityForm(name="Ccopamaya Alta", district="210102", kind="anexo", population="120"))
    dialog = CommunityDialog(service, service.get(cid))
    qtbot.addWidget(dialog)
    row = service.get(cid)
    CommunityService(gestor).save(
        dataclasses.replace(
            CommunityForm(name=row.name, district=row.district_code, kind=row.kind, population="150"),
            version=row.version,
        ),
        cid,
    )
    dialog.ui.populationEdit.setText("130")
    seen: list = []
    _answer(qtbot, "reload_button", seen)
    dialog._save()

    assert seen[0][2] == [["Población", "150", "130"]]
    assert dialog.isVisible() is False or dialog.result() != dialog.DialogCode.Accepted  # still open to edit
    assert dialog.ui.populationEdit.text() == "150"  # theirs in the form now
    assert Community.get_by_id(cid).population == 150
    dialog.ui.notesEdit.setPlainText("Acceso por trocha")  # and a save from the reloaded copy goes through
    dialog._save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert Community.get_by_id(cid).notes == "Acceso por trocha" and Community.get_by_id(cid).population == 150


def test_intervention_dialog_shows_theirs_then_reloads_or_keeps_mine(gui_home, load_demo, qtbot):
    """Two PCs open the same intervention; the second to save is told who changed it and what."""
    import datetime as dt

    from tambo_desktop import dates
    from tambo_desktop.db.models import Entity, Intervention
    from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE
    from tambo_desktop.gui.intervention_dialog import InterventionDialog, to_qt
    from tambo_desktop.services import accounts
    from tambo_desktop.services.interventions import InterventionService

    load_demo()
    admin = Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)
    gestor = Session(accounts.authenticate("gestor", DEMO_PASSWORD), DEMO_PROFILE.code)
    start = dt.datetime.combine(dates.today() + dt.timedelta(days=45), dt.time(9))
    new = InterventionDialog(admin, None, start)
    qtbot.addWidget(new)
    new.title.setText("Charla de nutrición")
    new.entity.setCurrentIndex(new.entity.findData(Entity.get(Entity.code == "MINSA").id))
    new.starts.setDateTime(to_qt(start))
    new.ends.setDateTime(to_qt(start + dt.timedelta(hours=2)))
    new._save()
    (iid,) = new.saved_ids
    service = InterventionService(admin)

    mine = InterventionDialog(admin, service.get(iid))  # this PC
    qtbot.addWidget(mine)
    theirs = InterventionDialog(gestor, InterventionService(gestor).get(iid))  # the other PC
    qtbot.addWidget(theirs)
    theirs.expected.setText("40")
    theirs._save()
    assert theirs.result() == theirs.DialogCode.Accepted

    mine.expected.setText("25")
    seen: list = []
    _answer(qtbot, "reload_button", seen)
    mine._save()
    explain, header, rows = seen[0]
    assert header[1] == f"Según {gestor.user.full_name}" and gestor.user.full_name in explain
    assert ["Participantes esperados", "40", "25"] in rows
    assert mine.result() != mine.DialogCode.Accepted and mine.expected.text() == "40"  # theirs in the form
    assert Intervention.get_by_id(iid).expected_participants == 40

    mine.expected.setText("30")  # a second change by the other PC, and this time the user keeps theirs
    again = InterventionDialog(gestor, InterventionService(gestor).get(iid))
    qtbot.addWidget(again)
    again.notes.setPlainText("Llevar balanza")
    again._save()
    seen.clear()
    _answer(qtbot, "keep_button", seen)
    mine._save()
    assert mine.result() == mine.DialogCode.Accepted
    saved = Intervention.get_by_id(iid)
    assert saved.expected_participants == 30 and not saved.notes  # the user's form, applied on top
    from tambo_desktop.db.models import AuditEntry

    last = AuditEntry.select().where(AuditEntry.entity == "intervention").order_by(AuditEntry.id.desc()).get()
    assert "aplicado encima" in last.summary


def _demo_sessions(load_demo):
    from tambo_desktop.demo.build import DEMO_PASSWORD, DEMO_PROFILE
    from tambo_desktop.services import accounts

    load_demo()
    admin = Session(accounts.authenticate("admin", DEMO_PASSWORD), DEMO_PROFILE.code)
    AccountService(admin).create(AccountForm("jmamani", "Julia Mamani Ccori", "admin", "clave-segura-2"))
    return admin, Session(accounts.authenticate("jmamani", "clave-segura-2"), DEMO_PROFILE.code)


def test_trip_course_session_and_space_editors_refuse_a_stale_copy(gui_home, load_demo, qtbot):
    """Every dialog that edits a saved record: the second PC's save is refused with theirs beside it."""
    import datetime as dt

    from tambo_desktop import dates
    from tambo_desktop.db.models import Course, CourseSession, Space, Trip
    from tambo_desktop.gui.facilities_dialog import FacilityEditor
    from tambo_desktop.gui.training_dialogs import CourseDialog, SessionDialog
    from tambo_desktop.gui.trip_dialogs import TripDialog
    from tambo_desktop.services.facilities import FacilityService
    from tambo_desktop.services.training import TrainingService
    from tambo_desktop.services.trips import TripService

    admin, other = _demo_sessions(load_demo)
    other_name = other.user.full_name

    # a field trip: the other PC writes the agreements, this one the activities → reload shows theirs
    from tambo_desktop.db.models import Community
    from tambo_desktop.services.trips import TripForm

    left = dt.datetime.combine(dates.today() - dt.timedelta(days=3), dt.time(7))
    trip_id = TripService(admin).save(TripForm(admin.user.id, left, left + dt.timedelta(hours=8),
                                               [Community.select().first().id], "diagnostic", "motocicleta"))  # fmt: skip
    trip = TripService(admin).get(trip_id)
    mine, theirs = TripDialog(admin, trip), TripDialog(admin, trip)
    qtbot.addWidget(mine)
    qtbot.addWidget(theirs)
    theirs.trip.agreements.setPlainText("Faena comunal el sábado")
    theirs._save()
    assert theirs.result() == theirs.DialogCode.Accepted
    mine.trip.activities.setPlainText("Reunión con el teniente gobernador")
    seen: list = []
    _answer(qtbot, "reload_button", seen)
    mine._save()
    assert ["Acuerdos", "Faena comunal el sábado", trip.agreements or "—"] in seen[0][2]
    assert mine.result() != mine.DialogCode.Accepted and mine.trip.agreements.toPlainText() == "Faena comunal el sábado"
    mine.trip.activities.setPlainText("Reunión con el teniente gobernador")
    mine._save()  # from the reloaded copy it goes through, theirs kept
    saved = Trip.get_by_id(trip.id)
    assert saved.agreements == "Faena comunal el sábado" and saved.activities == "Reunión con el teniente gobernador"

    # a course: another administrator renames it, the admin changes the trainer and keeps theirs on top
    service, service_other = TrainingService(admin), TrainingService(other)
    from tambo_desktop.services.training import CourseForm, SessionForm
    from tambo_desktop.vocabulary import TRAINING_TOPICS

    course_id = service.save_course(CourseForm("Crianza de cuyes", next(iter(TRAINING_TOPICS)), "community",
                                               provider="Agencia Agraria Cusco", trainer="Ing. Pedro Apaza"))  # fmt: skip
    day = dt.datetime.combine(dates.today() + dt.timedelta(days=20), dt.time(9))
    service.save_session(course_id, SessionForm(day, day + dt.timedelta(hours=3), "inside"))
    course = service.course(course_id)
    mine_course = CourseDialog(service, course)
    qtbot.addWidget(mine_course)
    theirs_course = CourseDialog(service_other, service_other.course(course.id))
    qtbot.addWidget(theirs_course)
    theirs_course.title.setText("Buenas prácticas de crianza de cuyes")
    theirs_course._save()
    mine_course.trainer.setText("Ing. Lucía Ccori")
    seen.clear()
    _answer(qtbot, "keep_button", seen)
    mine_course._save()
    explain, header, rows = seen[0]
    assert header[1] == f"Según {other_name}" and other_name in explain
    assert ["Nombre", "Buenas prácticas de crianza de cuyes", course.title] in rows
    assert mine_course.result() == mine_course.DialogCode.Accepted
    assert (
        Course.get_by_id(course.id).title == course.title and Course.get_by_id(course.id).trainer == "Ing. Lucía Ccori"
    )

    # one of its sessions, and a space
    session_row = service.sessions(course.id)[0]
    mine_session = SessionDialog(admin, service, course.id, session_row)
    qtbot.addWidget(mine_session)
    theirs_session = SessionDialog(other, service_other, course.id, session_row)
    qtbot.addWidget(theirs_session)
    theirs_session.ends.setDateTime(theirs_session.ends.dateTime().addSecs(1800))
    theirs_session._save()
    mine_session.starts.setDateTime(mine_session.starts.dateTime().addSecs(-1800))
    seen.clear()
    _answer(qtbot, "reload_button", seen)
    mine_session._save()
    assert [r[0] for r in seen[0][2]] == ["Inicio", "Fin"]  # theirs: the end; the user: the start
    assert CourseSession.get_by_id(session_row.id).ends_at == session_row.ends_at + dt.timedelta(minutes=30)
    assert CourseSession.get_by_id(session_row.id).starts_at == session_row.starts_at

    facilities = FacilityService(admin)
    space = facilities.spaces()[0]
    mine_space = FacilityEditor(facilities, True, space)
    qtbot.addWidget(mine_space)
    theirs_space = FacilityEditor(FacilityService(other), True, space)
    qtbot.addWidget(theirs_space)
    theirs_space.capacity.setText("35")
    theirs_space._save()
    mine_space.notes.setText("Llave en la oficina")
    seen.clear()
    _answer(qtbot, "reload_button", seen)
    mine_space._save()
    assert ["Capacidad (personas)", "35", str(space.capacity) if space.capacity else "—"] in seen[0][2]
    assert mine_space.capacity.text() == "35" and Space.get_by_id(space.id).notes == space.notes


def test_account_dialog_refuses_a_stale_copy(gui_home, make_tambo, qtbot):
    """Two administrators edit the same account: the second sees the first's change beside theirs."""
    from tambo_desktop.db.models import User
    from tambo_desktop.gui.dialogs import AccountDialog

    admin = make_tambo()
    other = _other_pc(admin)  # the account being edited ("gestor")
    service = AccountService(admin)
    row = next(a for a in service.list() if a.username == "gestor")
    mine, theirs = AccountDialog(service, row), AccountDialog(AccountService(admin), row)
    qtbot.addWidget(mine)
    qtbot.addWidget(theirs)
    theirs.ui.fullNameEdit.setText("Pedro Huanca Apaza de Quispe")
    theirs._save()
    assert theirs.result() == theirs.DialogCode.Accepted
    mine.ui.activeEdit.setChecked(False)
    seen: list = []
    _answer(qtbot, "reload_button", seen)
    mine._save()
    assert ["Nombre completo", "Pedro Huanca Apaza de Quispe", "Pedro Huanca Apaza"] in seen[0][2]
    assert mine.ui.fullNameEdit.text() == "Pedro Huanca Apaza de Quispe" and mine.ui.activeEdit.isChecked()
    assert User.get_by_id(row.id).active and other.user.username == "gestor"
