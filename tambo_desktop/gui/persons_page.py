"""The people served: find, correct, see their history; their rights (export, opposition,
anonymisation) and the merge of duplicates."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import i18n
from tambo_desktop.errors import StaleRecord, TamboError, ValidationError
from tambo_desktop.gui import conflict_dialog
from tambo_desktop.gui.attentions_page import ATTENTION_COLUMNS
from tambo_desktop.gui.comfort import style_title
from tambo_desktop.gui.desk_page import PersonFormBox, _html
from tambo_desktop.gui.table_model import Column, PagedModel, RowsModel
from tambo_desktop.gui.widgets import INVALID_STYLE, report_error, show_field_errors
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.attentions import AttentionFilter, AttentionService
from tambo_desktop.services.audit import ACTIONS
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.persons import PersonRow, PersonService
from tambo_desktop.vocabulary import DOCUMENT_TYPES, SEXES, SPOKEN_LANGUAGES, label

PAGE_SIZE = 200


def _document(person: PersonRow) -> str:
    if not person.document_number:
        return label(DOCUMENT_TYPES, person.document_type or "none")
    return f"{label(DOCUMENT_TYPES, person.document_type)} {person.document_number}"


PERSON_COLUMNS = (
    Column(
        N_("Apellidos y nombres"),
        lambda p: " ".join(x for x in (p.last_name_1, p.last_name_2) if x) + ", " + p.first_names,
    ),
    Column(N_("Documento"), _document),
    Column(N_("Edad"), lambda p: p.age(), align_right=True),
    Column(N_("Centro poblado"), lambda p: p.community_name),
)
HISTORY_COLUMNS = (
    Column(N_("Fecha y hora"), lambda r: i18n.format_datetime(_local(r.at), "short")),
    Column(N_("Usuario"), lambda r: r.username),
    Column(N_("Acción"), lambda r: label(ACTIONS, r.action)),
    Column(N_("Cambios"), lambda r: _changes(r.changes)),
)


def _local(value):
    return i18n.local_time(value)


def _changes(changes: dict) -> str:
    return "; ".join(
        f"{name}: {json.dumps(old, ensure_ascii=False)} → {json.dumps(new, ensure_ascii=False)}"
        for name, (old, new) in changes.items()
        if name not in ("updated_at", "updated_by", "name_key")
    )


class PersonDialog(QDialog):
    """Register or correct a person; the corrections go to the audit trail (the history)."""

    def __init__(
        self, service: PersonService, communities: list[tuple[int, str]], person: PersonRow | None = None, parent=None
    ):
        super().__init__(parent)
        self.setStyleSheet(INVALID_STYLE)
        self.service = service
        self.person = person
        self.saved_id: int | None = None
        self.form_box = PersonFormBox(with_notes=True)
        self.form_box.set_communities(communities)
        self.form_box.retranslate()
        if person is not None:
            self.form_box.load(person)
        self.form_box.setTitle("")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form_box)
        layout.addWidget(buttons)
        self.setWindowTitle(_("Corregir los datos de la persona") if person else _("Registrar persona"))
        self.resize(620, 420)

    def _save(self, version: int | None = None, on_top: bool = False) -> None:
        form = self.form_box.form()
        form.version, form.on_top = (
            (self.person.version if version is None else version) if self.person else None,
            on_top,
        )
        try:
            self.saved_id = self.service.save(form, self.person.id if self.person else None)
        except ValidationError as exc:
            show_field_errors(self.form_box.error_label, self.form_box.fields, self.form_box.labels, exc.errors)
            return
        except StaleRecord as exc:  # another PC saved the person meanwhile: theirs beside the user's
            choice = conflict_dialog.ask(exc, self)
            if choice == conflict_dialog.RELOAD and self.person is not None:
                self.person = self.service.get(self.person.id)
                self.form_box.load(self.person)
            elif choice == conflict_dialog.KEEP_MINE:
                self._save(exc.current_version, on_top=True)
            return
        except TamboError as exc:
            report_error(self, exc)
            return
        self.accept()


class MergeDialog(QDialog):
    """Pick the duplicate to merge into the person shown (administrators)."""

    def __init__(self, service: PersonService, keep: PersonRow, parent=None) -> None:
        super().__init__(parent)
        self.service = service
        self.keep = keep
        self.explain = QLabel(
            _(
                "Las atenciones de la persona elegida pasarán a {name} y la persona elegida se eliminará. "
                "Queda registrado en la auditoría."
            ).format(name=keep.full_name)
        )
        self.explain.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Buscar por nombre o documento"))
        self.list = QListWidget()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.explain, self.search, self.list, buttons):
            layout.addWidget(widget)
        self.setWindowTitle(_("Fusionar personas duplicadas"))
        self.resize(560, 420)
        self.search.textChanged.connect(self._find)
        self._suggest()

    def _add(self, person: PersonRow, why: str = "") -> None:
        if person.id == self.keep.id:
            return
        text = f"{person.full_name} · {_document(person)}"
        if person.birth_date:
            text += " · " + i18n.format_date(person.birth_date, "short")
        if person.community_name:
            text += " · " + person.community_name
        if why:
            text += f"  ({why})"
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, person.id)
        self.list.addItem(item)

    def _suggest(self) -> None:
        from tambo_desktop.services.person_form import PersonForm

        keep = self.keep
        form = PersonForm(
            keep.document_type, keep.document_number or "", keep.first_names, keep.last_name_1, keep.last_name_2,
            keep.sex, keep.birth_date.isoformat() if keep.birth_date else "", str(keep.community_id or ""),  # a form value, not shown
        )  # fmt: skip
        self.list.clear()
        for duplicate in self.service.possible_duplicates(form, keep.id):
            self._add(duplicate.person, _("posible duplicado"))
        if self.list.count():
            self.list.setCurrentRow(0)

    def _find(self, text: str) -> None:
        if not text.strip():
            self._suggest()
            return
        self.list.clear()
        for person in self.service.search(text, limit=30):
            self._add(person)
        if self.list.count():
            self.list.setCurrentRow(0)

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None


class PersonsPage(QWidget):
    """The registry of participantes, with each person's history."""

    changed = Signal()

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("personsPage")
        self.session = session
        self.service = PersonService(session)
        self.attentions = AttentionService(session)
        self.communities = CommunityService(session)
        self.person: PersonRow | None = None
        self._restoring = False  # True while a reload puts back the row the user was reading
        self.title = QLabel()
        style_title(self.title)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.community = QComboBox()
        self.community.setMinimumContentsLength(12)
        self.community.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.new_button = QPushButton()
        self.new_button.setVisible(session.can("persons.edit"))
        self.model = PagedModel(PERSON_COLUMNS, self._fetch, PAGE_SIZE, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(1, 110)
        self.table.setColumnWidth(2, 45)
        self.table.setAlternatingRowColors(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        # the search on a row of its own, as wide as the list: beside the centro poblado filter it
        # was left ~240 px at 1024 px in Quechua at 175 % text, its hint cut
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.community)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignLeft)

        # the person's page
        self.name = QLabel()
        self.name.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.name.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.opposition = QCheckBox()
        self.edit_button = QPushButton()
        self.export_button = QPushButton()
        self.anonymize_button = QPushButton()
        self.merge_button = QPushButton()
        self.training_button = QPushButton(objectName="trainingHistoryButton")
        self.training_button.clicked.connect(self.training_history)
        self.edit_button.setVisible(session.can("persons.edit"))
        self.opposition.setEnabled(session.can("persons.edit"))
        self.export_button.setVisible(session.can("persons.export"))
        self.anonymize_button.setVisible(session.can("persons.anonymize"))
        self.merge_button.setVisible(session.can("persons.merge"))
        actions = QHBoxLayout()
        for button in (
            self.edit_button,
            self.export_button,
            self.training_button,
            self.merge_button,
            self.anonymize_button,
        ):
            actions.addWidget(button)
        actions.addStretch()
        self.history_model = PagedModel(
            ATTENTION_COLUMNS[:1] + ATTENTION_COLUMNS[5:], self._fetch_history, PAGE_SIZE, self
        )
        self.history = QTableView()
        self.history.setModel(self.history_model)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setColumnWidth(0, 150)
        self.history.setColumnWidth(1, 80)
        self.history.setColumnWidth(2, 240)
        self.changes_model = RowsModel(HISTORY_COLUMNS, self)
        self.changes = QTableView()
        self.changes.setModel(self.changes_model)
        self.changes.verticalHeader().setVisible(False)
        self.changes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.changes.horizontalHeader().setStretchLastSection(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.history, "")
        self.tabs.addTab(self.changes, "")
        self.detail = QWidget()
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.name)
        detail_layout.addWidget(self.details)
        detail_layout.addWidget(self.opposition)
        detail_layout.addLayout(actions)
        detail_layout.addWidget(self.tabs, 1)
        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.placeholder, 1)
        right_layout.addWidget(self.detail, 1)
        self.detail.hide()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)  # the list, where the user searches, keeps the larger part
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)

        self.debounce = QTimer(self, singleShot=True, interval=250)
        self.debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(self.debounce.start)
        self.community.currentIndexChanged.connect(self.reload)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.new_button.clicked.connect(self.new_person)
        self.edit_button.clicked.connect(self.edit_person)
        self.export_button.clicked.connect(self.export_person)
        self.anonymize_button.clicked.connect(self.anonymize_person)
        self.merge_button.clicked.connect(self.merge_person)
        self.opposition.clicked.connect(self._opposition_clicked)
        self._filled = False
        self.retranslate()

    # -- data -----------------------------------------------------------------------------------

    def _fetch(self, after, size: int):
        offset = after or 0
        rows = self.service.search(self.search.text(), size + 1, offset, self.community.currentData())
        more = len(rows) > size
        return rows[:size], (offset + size if more else None)

    def _fetch_history(self, after, size: int):
        if self.person is None:
            return [], None
        page = self.attentions.list(AttentionFilter(person_id=self.person.id), size, after)
        return page.rows, page.next

    def refresh(self) -> None:
        current = self.community.currentData()
        self.community.blockSignals(True)
        self.community.clear()
        self.community.addItem(_("Todos los centros poblados"), None)
        for community in self.communities.list():
            self.community.addItem(community.name, community.id)
        self.community.setCurrentIndex(max(self.community.findData(current), 0))
        self.community.blockSignals(False)
        self._filled = True
        self.reload()

    def reload(self) -> None:
        """Fetch the list again; the person being read stays shown and selected (another PC's save
        refreshes this page: it must not jump to someone else)."""
        self.debounce.stop()
        keep = self.person.id if self.person is not None else None
        self._restoring = True  # the model's reset moves the current row: not the user's choice
        try:
            self.model.reload()
        except TamboError as exc:
            report_error(self, exc)
            return
        finally:
            self._restoring = False
        if keep is not None:
            self.show_person(keep)
            self._select(keep)

    def _select(self, person_id: int) -> None:
        """Select the person's row if the loaded part of the list shows it (quietly)."""
        row = next((i for i, r in enumerate(self.model.rows) if r.id == person_id), None)
        self._restoring = True
        try:
            if row is None:
                self.table.selectionModel().clearSelection()
            else:
                self.table.selectRow(row)
        finally:
            self._restoring = False

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _row_changed(self, current, _previous) -> None:
        if self._restoring:
            return
        person = self.model.row_at(current)
        if person is not None:
            self.show_person(person.id)

    def show_person(self, person_id: int) -> None:
        """Show one person's data, atenciones and the history of their record."""
        try:
            person = self.service.get(person_id)
            history = self.service.history(person_id)
        except TamboError as exc:
            report_error(self, exc)
            return
        self.person = person
        self.name.setText(person.full_name)
        rows = [
            (_("Documento"), _document(person)),
            (_("Sexo"), label(SEXES, person.sex)),
            (_("Fecha de nacimiento"), i18n.format_date(person.birth_date, "short") if person.birth_date else "—"),
            (_("Edad"), str(person.age()) if person.birth_date else "—"),
            (_("Centro poblado"), person.community_name or "—"),
            (_("Lengua materna"), label(SPOKEN_LANGUAGES, person.first_language) if person.first_language else "—"),
            (_("Teléfono"), person.phone or "—"),
            (_("Notas"), person.notes or "—"),
        ]
        self.details.setText(
            "<table cellspacing='2'>"
            + "".join(
                f"<tr><td style='color:#546e7a; padding-right:10px'>{_html(k)}</td><td>{_html(v)}</td></tr>"
                for k, v in rows
            )
            + "</table>"
        )
        self.opposition.setChecked(person.opposition)
        editable = not person.anonymized
        for button in (self.edit_button, self.anonymize_button, self.merge_button, self.export_button):
            button.setEnabled(editable)
        self.opposition.setEnabled(editable and self.session.can("persons.edit"))
        self.history_model.reload()
        self.changes_model.set_rows(history)
        self.placeholder.hide()
        self.detail.show()

    # -- actions --------------------------------------------------------------------------------

    def _communities(self) -> list[tuple[int, str]]:
        return [(c.id, c.name) for c in self.communities.list()]

    def new_person(self) -> None:
        dialog = PersonDialog(self.service, self._communities(), None, self)
        if dialog.exec() and dialog.saved_id:
            self.reload()
            self.show_person(dialog.saved_id)
            self.changed.emit()

    def edit_person(self) -> None:
        if self.person is None:
            return
        dialog = PersonDialog(self.service, self._communities(), self.person, self)
        if dialog.exec():
            self.reload()
            self.changed.emit()

    def _opposition_clicked(self, checked: bool) -> None:
        if self.person is None:
            return
        try:
            self.service.set_opposition(self.person.id, checked)
        except TamboError as exc:
            report_error(self, exc)
            self.opposition.setChecked(not checked)
            return
        self.show_person(self.person.id)

    def training_history(self) -> None:
        """The courses this person took, with hours and certificates."""
        from tambo_desktop.gui.training_dialogs import HistoryDialog

        if self.person is not None:
            dialog = HistoryDialog(self.session, self)
            dialog.show_for("person", self.person.id)
            dialog.exec()

    def export_person(self) -> None:
        """Everything held about the person, as JSON or a printable PDF (right of access)."""
        if self.person is None:
            return
        from tambo_desktop.services.rights import RightsService

        safe = "".join(ch if ch.isalnum() else "_" for ch in self.person.full_name)[:40]
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Exportar los datos de la persona"), f"{safe}.pdf", _("PDF (*.pdf);;JSON (*.json)")
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".pdf", ".json"):
            target = target.with_suffix(".json" if "json" in chosen.lower() else ".pdf")
        try:
            RightsService(self.session).export(self.person.id, target)
        except TamboError as exc:
            report_error(self, exc)
            return
        QMessageBox.information(
            self, _("Exportar los datos de la persona"), _("Guardado en {path}").format(path=target)
        )
        self.show_person(self.person.id)

    def anonymize_person(self) -> None:
        """Ask, showing which older backups still hold the person; then anonymise (and, when the
        administrator ticks it, purge those backups after a new verified one), off the GUI thread."""
        if self.person is None:
            return
        from tambo_desktop.gui.ops import run_in_background
        from tambo_desktop.services.backups import BackupService

        person = self.person
        backups = BackupService(self.session)
        self.operation = run_in_background(
            self, _("Buscando copias de seguridad con sus datos…"), lambda: backups.holding(person.id),
            done=lambda holding: self._confirm_anonymize(person, holding), failed=lambda exc: report_error(self, exc),
        )  # fmt: skip

    def _confirm_anonymize(self, person: PersonRow, holding: list) -> None:
        from tambo_desktop.gui.ops import run_in_background
        from tambo_desktop.services.backups import BackupService

        box = QMessageBox(QMessageBox.Icon.Warning, _("Anonimizar"), _(
            "Se borrarán para siempre el nombre, el documento, el teléfono y las notas de {name}, también de la "
            "auditoría. Sus atenciones seguirán contando en los indicadores. ¿Continuar?"
        ).format(name=person.full_name), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)  # fmt: skip
        box.setDefaultButton(QMessageBox.StandardButton.No)
        purge = None
        if holding:
            names = "\n".join(
                f"{i18n.format_datetime(info.local_created_at)} — {info.path.name}" for info in holding[:12]
            ) + ("\n…" if len(holding) > 12 else "")
            box.setInformativeText(
                i18n.ngettext(
                    "{n} copia de seguridad anterior todavía tiene sus datos:", "{n} copias de seguridad anteriores todavía tienen sus datos:",
                    len(holding),
                ).format(n=len(holding)) + "\n" + names
            )  # fmt: skip
            if self.session.can("backup.purge"):
                box.setInformativeText(
                    box.informativeText()
                    + "\n\n"
                    + _("Si las borra, antes se hace una copia verificada nueva, sin la persona.")
                )
                purge = QCheckBox(_("Borrar también esas copias"))
                box.setCheckBox(purge)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        also_purge = purge is not None and purge.isChecked()
        backups = BackupService(self.session)

        def work():
            done = self.service.anonymize(person.id)
            return done, backups.purge_holding(person.id) if also_purge else None

        self.operation = run_in_background(
            self, _("Anonimizando…"), work, done=lambda result: self._anonymized(person.id, *result),
            failed=lambda exc: (report_error(self, exc), self.reload()),
        )  # fmt: skip

    def _anonymized(self, person_id: int, done, purged) -> None:
        self.reload()
        self.show_person(person_id)
        self.changed.emit()
        if purged is not None:
            QMessageBox.information(self, _("Anonimizar"), _(
                "Borradas {n} copias de seguridad que tenían sus datos. Antes se hizo la copia verificada {file}, sin la persona."
            ).format(n=len(purged.deleted), file=purged.fresh.path.name))  # fmt: skip

    def merge_person(self) -> None:
        if self.person is None:
            return
        dialog = MergeDialog(self.service, self.person, self)
        if not dialog.exec() or dialog.chosen() is None:
            return
        try:
            moved = self.service.merge(self.person.id, dialog.chosen())
        except TamboError as exc:
            report_error(self, exc)
            return
        QMessageBox.information(
            self, _("Fusionar personas duplicadas"),
            i18n.ngettext("Se pasó {n} atención.", "Se pasaron {n} atenciones.", moved).format(n=moved),
        )  # fmt: skip
        self.reload()
        self.changed.emit()

    # -- language -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "_filled"):
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(_("Personas"))
        self.search.setPlaceholderText(_("Buscar por nombre o documento"))
        self.search.setToolTip(self.search.placeholderText())  # whole when the hint is cut (Aymara at 175 %)
        self.new_button.setText(_("&Registrar persona…"))
        self.opposition.setText(_("Se opone a que sus datos salgan en las exportaciones"))
        self.edit_button.setText(_("&Corregir…"))
        self.export_button.setText(_("E&xportar sus datos…"))
        self.anonymize_button.setText(_("A&nonimizar…"))
        self.merge_button.setText(_("&Fusionar duplicado…"))
        self.training_button.setText(_("Ca&pacitaciones…"))
        self.tabs.setTabText(0, _("Atenciones"))
        self.tabs.setTabText(1, _("Historial de cambios"))
        self.placeholder.setText(_("Elija a una persona de la lista para ver sus datos y su historial."))
        self.model.retranslate()
        self.history_model.retranslate()
        self.changes_model.retranslate()
        if self._filled and self.isVisible():  # hidden pages refresh when shown
            self.refresh()
