"""The attention desk: a queue served from the keyboard.

DNI or name → Enter → the person (or a short form for a new one) → type services, Enter adds
each → Enter on the empty service field saves everything and clears for the next person.
Esc clears; Ctrl+Enter saves from anywhere; the last entry can be corrected or voided.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError, ValidationError
from tambo_desktop.gui import page_load
from tambo_desktop.gui.comfort import style_title
from tambo_desktop.gui.keys import DateTimeEdit, date_mask, masked_text, one_date_format
from tambo_desktop.gui.screen_fit import FlowLayout
from tambo_desktop.gui.widgets import INVALID_STYLE, fill_combo, report_error, select_data, show_field_errors
from tambo_desktop.i18n import _
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.desk import DeskEntry, DeskResult, DeskService, ServiceChoice
from tambo_desktop.services.person_form import PersonForm
from tambo_desktop.services.persons import PersonRow
from tambo_desktop.text import search_key
from tambo_desktop.vocabulary import DOCUMENT_TYPES, PIAS_PLACES, PLACES, SEXES, SPOKEN_LANGUAGES, label

SUGGESTIONS = 8
NAME_RESULTS = 8
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _compact(text: str) -> str:
    return text.replace(" ", "").replace("-", "").replace(".", "")


def _is_document(text: str) -> bool:
    """Digits the clerk typed as a document number (a DNI may carry its check digit)."""
    compact = _compact(text)
    return bool(compact) and compact[:8].isdigit()


def _is_dni(text: str) -> bool:
    compact = _compact(text)
    return (len(compact) == 8 and compact.isdigit()) or (len(compact) == 9 and compact[:8].isdigit())


def fill_communities(combo, communities: list[tuple[int, str]]) -> None:
    """(Re)fill an editable combo with the centros poblados (blank first), keeping the choice;
    typing finds a name by any part of it."""
    current = combo.currentData()
    combo.clear()
    combo.addItem("", None)
    for community_id, name in communities:
        combo.addItem(name, community_id)
    select_data(combo, current)
    completer = combo.completer()
    if completer is not None:
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


class PersonFormBox(QGroupBox):
    """The short inline form for a person the desk does not know yet."""

    def __init__(self, parent=None, with_notes: bool = False) -> None:
        super().__init__(parent)
        self.document_type = QComboBox()
        self.document_number = QLineEdit()
        self.first_names = QLineEdit()
        self.last_name_1 = QLineEdit()
        self.last_name_2 = QLineEdit()
        self.sex = QComboBox()
        self.birth_date = QLineEdit()
        date_mask(self.birth_date)  # 12031985 typed straight through reads 12/03/1985
        self.community = QComboBox()
        self.community.setEditable(True)
        self.community.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.first_language = QComboBox()
        self.phone = QLineEdit()
        self.fields: dict[str, QWidget] = {
            "document_type": self.document_type,
            "document_number": self.document_number,
            "first_names": self.first_names,
            "last_name_1": self.last_name_1,
            "last_name_2": self.last_name_2,
            "sex": self.sex,
            "birth_date": self.birth_date,
            "community": self.community,
            "first_language": self.first_language,
            "phone": self.phone,
        }
        self.notes = QLineEdit()
        if with_notes:
            self.fields["notes"] = self.notes
        self.labels = {name: QLabel() for name in self.fields}
        for name, widget in self.fields.items():
            self.labels[name].setBuddy(widget)
            self.labels[name].setWordWrap(True)
        grid = QGridLayout(self)
        grid.setVerticalSpacing(2)
        grid.setHorizontalSpacing(12)
        order = list(self.fields)
        for i, name in enumerate(order):
            row, col = divmod(i, 2)
            grid.addWidget(self.labels[name], row * 2, col, Qt.AlignmentFlag.AlignBottom)
            grid.addWidget(self.fields[name], row * 2 + 1, col)
            if row:
                grid.setRowMinimumHeight(row * 2, 26)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.error_label.hide()
        grid.addWidget(self.error_label, 12, 0, 1, 2)
        self.communities: list[tuple[int, str]] = []

    def set_communities(self, communities: list[tuple[int, str]]) -> None:
        self.communities = communities
        fill_communities(self.community, communities)

    def retranslate(self) -> None:
        self.setTitle(_("Persona nueva"))
        texts = {
            "document_type": _("Documento"),
            "document_number": _("Número"),
            "first_names": _("Nombres"),
            "last_name_1": _("Primer apellido"),
            "last_name_2": _("Segundo apellido"),
            "sex": _("Sexo"),
            "birth_date": _("Fecha de nacimiento"),
            "community": _("Centro poblado"),
            "first_language": _("Lengua materna"),
            "phone": _("Teléfono"),
            "notes": _("Notas"),
        }
        for name, label_widget in self.labels.items():
            label_widget.setText(texts[name])
        self.birth_date.setToolTip(_("DD/MM/AAAA"))
        fill_combo(self.document_type, DOCUMENT_TYPES)
        fill_combo(self.sex, SEXES, blank=True)
        fill_combo(self.first_language, SPOKEN_LANGUAGES, blank=True)

    def start(self, text: str) -> None:
        """Open the form for a new person, with what the clerk typed in the search box."""
        self.clear()
        if _is_document(text):
            select_data(self.document_type, "dni")
            self.document_number.setText(text.strip())
        else:
            select_data(self.document_type, "none")
            words = text.split()
            if len(words) >= 3:
                self.first_names.setText(" ".join(words[:-2]))
                self.last_name_1.setText(words[-2])
                self.last_name_2.setText(words[-1])
            elif len(words) == 2:
                self.first_names.setText(words[0])
                self.last_name_1.setText(words[1])
            elif words:
                self.first_names.setText(words[0])

    def clear(self) -> None:
        for widget in self.fields.values():
            if isinstance(widget, QLineEdit):
                widget.clear()
            elif widget is self.community:
                widget.setCurrentIndex(0)
                widget.setEditText("")
            else:
                widget.setCurrentIndex(0)
        select_data(self.document_type, "dni")
        show_field_errors(self.error_label, self.fields, self.labels, [])

    def form(self) -> PersonForm:
        community = self.community.currentData()
        if community is None or self.community.currentText() != self.community.itemText(self.community.currentIndex()):
            community = self.community.currentText()
        return PersonForm(
            document_type=self.document_type.currentData() or "",
            document_number=self.document_number.text(),
            first_names=self.first_names.text(),
            last_name_1=self.last_name_1.text(),
            last_name_2=self.last_name_2.text(),
            sex=self.sex.currentData() or "",
            birth_date=masked_text(self.birth_date),
            community="" if community is None else str(community),
            first_language=self.first_language.currentData() or "",
            phone=self.phone.text(),
            notes=self.notes.text(),
        )

    def load(self, person: PersonRow) -> None:
        """Fill the form with a registered person (to correct them)."""
        self.clear()
        select_data(self.document_type, person.document_type)
        self.document_number.setText(person.document_number or "")
        self.first_names.setText(person.first_names)
        self.last_name_1.setText(person.last_name_1)
        self.last_name_2.setText(person.last_name_2)
        select_data(self.sex, person.sex)
        self.birth_date.setText(i18n.format_date(person.birth_date, "short") if person.birth_date else "")
        select_data(self.community, person.community_id)
        select_data(self.first_language, person.first_language)
        self.phone.setText(person.phone)
        self.notes.setText(person.notes)

    def first_empty(self) -> QWidget:
        for widget in (self.first_names, self.last_name_1):
            if not widget.text().strip():
                return widget
        return self.sex


class DeskPage(QWidget):
    """Quick entry of atenciones; emits ``saved`` after every successful save."""

    saved = Signal()

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("deskPage")
        self.setStyleSheet(INVALID_STYLE)
        self.session = session
        self.desk = DeskService(session)
        self.communities = CommunityService(session)
        self.person: PersonRow | None = None
        self.chosen: list[ServiceChoice] = []
        self.choices: list[ServiceChoice] = []
        self._choices_loaded = False
        self._choices_generation = 0
        self.last: DeskResult | None = None
        self.last_entry: DeskEntry | None = None
        self.correcting = False
        self.duplicates_seen = False

        self.title = QLabel()
        style_title(self.title)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #455a64;")

        # 1. the person
        self.person_box = QGroupBox()
        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.results = QListWidget()
        self.results.setMaximumHeight(170)
        self.results.hide()
        self.card = QLabel()
        self.card.setWordWrap(True)
        self.card.setTextFormat(Qt.TextFormat.RichText)
        self.card.hide()
        self.new_form = PersonFormBox()
        self.new_form.hide()
        self.duplicates_label = QLabel()
        self.duplicates_label.setWordWrap(True)
        self.duplicates_label.setStyleSheet("color: #8a4b00;")
        self.duplicates = QListWidget()
        self.duplicates.setMaximumHeight(110)
        for widget in (self.duplicates_label, self.duplicates):
            widget.hide()
        person_layout = QVBoxLayout(self.person_box)
        # the caption above the field: beside it, the long Quechua caption at 175 % left the DNI
        # field 127 px (about ten letters) once the button row could wrap and the columns narrowed
        self.search_label.setWordWrap(True)
        person_layout.addWidget(self.search_label)
        person_layout.addWidget(self.search)
        for widget in (self.results, self.card, self.new_form, self.duplicates_label, self.duplicates):
            person_layout.addWidget(widget)
        person_layout.addStretch(1)

        # 2. the services
        self.services_box = QGroupBox()
        self.service_label = QLabel()
        self.service_edit = QLineEdit()
        self.service_label.setBuddy(self.service_edit)
        self.suggestions = QListWidget()
        self.suggestions.setMaximumHeight(150)
        self.suggestions.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.suggestions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long names end in …
        self.chosen_label = QLabel()
        self.chosen_list = QListWidget()
        self.chosen_list.setMaximumHeight(90)
        self.place_label = QLabel()
        self.place = QComboBox()
        self.place_label.setBuddy(self.place)
        self.place_community_label = QLabel()
        self.place_community = QComboBox()
        self.place_community.setEditable(True)
        self.place_community.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.place_community_label.setBuddy(self.place_community)
        self.place_community_label.setWordWrap(True)  # a long caption never squeezes the person's column
        from tambo_desktop.services.pias import is_pias

        self.pias = is_pias()  # a PIAS: the atención's stop of the voyage, chosen by the route and the clock
        self.stop_label = QLabel()
        self.stop = QComboBox()
        self.stop.setObjectName("voyageStop")
        self.stop.activated.connect(lambda _i: self.stop.setProperty("touched", True))
        self.stop_label.setBuddy(self.stop)
        self.when_label = QLabel()
        self.when = DateTimeEdit(QDateTime(dates.now()))
        self.when.setCalendarPopup(True)
        one_date_format(self.when)
        self.when_touched = False
        self.when.dateTimeChanged.connect(self._when_edited)
        self.when_label.setBuddy(self.when)
        # the time shown follows the tambo's clock until the clerk changes it
        self.clock = QTimer(self, interval=15_000)
        self.clock.timeout.connect(self._follow_clock)
        self.clock.start()
        services_layout = QVBoxLayout(self.services_box)
        service_row = QHBoxLayout()
        service_row.addWidget(self.service_label)
        service_row.addWidget(self.service_edit, 1)
        services_layout.addLayout(service_row)
        services_layout.addWidget(self.suggestions)
        services_layout.addWidget(self.chosen_label)
        services_layout.addWidget(self.chosen_list)
        details = QFormLayout()
        details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        details.addRow(self.place_label, self.place)
        details.addRow(self.place_community_label, self.place_community)
        if self.pias:
            details.addRow(self.stop_label, self.stop)
        details.addRow(self.when_label, self.when)
        services_layout.addLayout(details)
        services_layout.addStretch(1)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.error_label.hide()

        # buttons and the last entry
        self.save_button = QPushButton()
        self.clear_button = QPushButton()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.correct_button = QPushButton()
        self.void_button = QPushButton()
        for button in (self.correct_button, self.void_button):
            button.setEnabled(False)
        # one row that wraps: the four buttons were 820-890 px at 175 % text and widened the desk
        # beyond a 1024-pixel screen (it scrolled sideways, «undo» cut at the edge)
        buttons = FlowLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        buttons.add_right(self.correct_button)
        buttons.add_right(self.void_button)

        columns = QHBoxLayout()
        columns.addWidget(self.person_box, 1)
        columns.addWidget(self.services_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

        self.search.returnPressed.connect(self._find)
        self.search.textEdited.connect(self._search_edited)
        self.results.itemActivated.connect(self._result_chosen)
        self.duplicates.itemActivated.connect(self._duplicate_chosen)
        self.service_edit.textChanged.connect(self._suggest)
        self.suggestions.itemClicked.connect(lambda item: self._add_service(item.data(Qt.ItemDataRole.UserRole)))
        self.place.currentIndexChanged.connect(self._place_changed)
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.clear)
        self.correct_button.clicked.connect(self.correct_last)
        self.void_button.clicked.connect(self.void_last)
        for widget in (
            self.search,
            self.results,
            self.service_edit,
            self.chosen_list,
            self.duplicates,
            *self.new_form.fields.values(),
        ):
            widget.installEventFilter(self)
        self.new_form.community.lineEdit().installEventFilter(self)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.save, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape), self, self.clear, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        self.retranslate()
        page_load.first_load(self)  # with the main window: when first shown

    # -- data -----------------------------------------------------------------------------------

    def _read_choices(self) -> tuple[list[ServiceChoice], list[tuple[int, str]]]:
        """The services (today's and most used first) and the centros poblados (safe on a worker thread)."""
        return self.desk.service_choices(), [(c.id, c.name) for c in self.communities.list()]

    def refresh(self) -> None:
        """Reload the services (today's and most used first) and the centros poblados."""
        try:
            self._apply_choices(*self._read_choices())
        except TamboError as exc:
            report_error(self, exc)

    def refresh_in_background(self) -> None:
        """When the window shows the desk: the first time at once (the clerk types a service next),
        later off the GUI thread — the counts over the atenciones took 0.25–0.4 s of every visit on
        the large demo of a busy PC; the choices shown so far stay until the new ones arrive."""
        if not self._choices_loaded:
            self.refresh()
            return
        from tambo_desktop.gui.ops import run_in_background

        self._choices_generation += 1
        generation = self._choices_generation

        def done(result) -> None:
            if generation == self._choices_generation:
                self._apply_choices(*result)

        self.operation = run_in_background(self, "", self._read_choices, done, quiet=True)

    def _apply_choices(self, choices: list[ServiceChoice], communities: list[tuple[int, str]]) -> None:
        self.choices = choices
        self._choices_loaded = True
        self.new_form.set_communities(communities)
        fill_communities(self.place_community, communities)
        if self.pias:
            from tambo_desktop.gui.voyage_page import fill_stops

            fill_stops(self.stop, self.session)
        self._suggest()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- finding the person ---------------------------------------------------------------------

    def _search_edited(self, _text: str) -> None:
        if self.person is not None or self.new_form.isVisible():
            self.person = None
            self.card.hide()
            self.new_form.hide()
            self._hide_duplicates()

    def _find(self) -> None:
        text = self.search.text().strip()
        self.error_label.hide()
        self.results.hide()
        if not text:
            return
        try:
            if _is_dni(text):
                person = self.desk.persons.find_by_document("dni", text)
                if person is None:
                    self._new_person(text)
                else:
                    self._use(person)
                return
            found = self.desk.persons.search(text, limit=NAME_RESULTS)
        except ValidationError as exc:
            self._error(exc.errors[0].message)
            return
        except TamboError as exc:
            report_error(self, exc)
            return
        self.results.clear()
        for person in found:
            item = QListWidgetItem(self._describe(person))
            item.setData(Qt.ItemDataRole.UserRole, person)
            self.results.addItem(item)
        new_item = QListWidgetItem(_("+ Registrar persona nueva: «{text}»").format(text=text))
        new_item.setData(Qt.ItemDataRole.UserRole, None)
        self.results.addItem(new_item)
        self.results.show()
        self.results.setCurrentRow(0)
        self.results.setFocus()

    def _describe(self, person: PersonRow) -> str:
        parts = [person.full_name]
        if person.document_number:
            parts.append(f"{label(DOCUMENT_TYPES, person.document_type)} {person.document_number}")
        age = person.age()
        if age is not None:
            parts.append(i18n.ngettext("{n} año", "{n} años", age).format(n=age))
        if person.community_name:
            parts.append(person.community_name)
        return " · ".join(parts)

    def _result_chosen(self, item: QListWidgetItem) -> None:
        person = item.data(Qt.ItemDataRole.UserRole)
        self.results.hide()
        if person is None:
            self._new_person(self.search.text())
        else:
            self._use(person)

    def _use(self, person: PersonRow) -> None:
        if person.anonymized:
            self._error(_("Esta persona fue anonimizada: no se le registran atenciones."))
            return
        self.person = person
        self.new_form.hide()
        self._hide_duplicates()
        lines = [f"<b>{_html(person.full_name)}</b>", _html(self._describe(person).split(" · ", 1)[-1])]
        if person.first_language:
            lines.append(
                _html(_("Lengua materna: {language}").format(language=label(SPOKEN_LANGUAGES, person.first_language)))
            )
        try:
            history = self.desk.last_of_person(person.id, 3)
        except TamboError:
            history = []
        for row in history:
            when = i18n.format_date(row.attended_at.date(), "short")
            lines.append(
                f"<span style='color:#546e7a'>{_html(when)} · {_html(row.entity_code)} — {_html(row.service_name)}</span>"
            )
        self.card.setText("<br>".join(lines))
        self.card.show()
        self.service_edit.setFocus()

    def _new_person(self, text: str) -> None:
        self.person = None
        self.duplicates_seen = False
        self.card.hide()
        self.new_form.start(text)
        self.new_form.show()
        self.new_form.first_empty().setFocus()

    def _hide_duplicates(self) -> None:
        self.duplicates.clear()
        self.duplicates.hide()
        self.duplicates_label.hide()

    def _duplicate_chosen(self, item: QListWidgetItem) -> None:
        self._use(item.data(Qt.ItemDataRole.UserRole))

    # -- services -------------------------------------------------------------------------------

    def _matches(self, text: str) -> list[ServiceChoice]:
        words = search_key(text).split()
        taken = {c.id for c in self.chosen}
        found = [c for c in self.choices if c.id not in taken and all(w in c.key for w in words)]
        return found[:SUGGESTIONS]

    def _suggest(self) -> None:
        self.suggestions.clear()
        for choice in self._matches(self.service_edit.text()):
            item = QListWidgetItem(choice.label)
            item.setData(Qt.ItemDataRole.UserRole, choice)
            item.setToolTip(choice.label)
            if choice.used_today:
                item.setToolTip(choice.label + "\n" + _("Hoy: {n}").format(n=choice.used_today))
            self.suggestions.addItem(item)
        if self.suggestions.count():
            self.suggestions.setCurrentRow(0)

    def _add_service(self, choice: ServiceChoice | None) -> None:
        if choice is None or any(c.id == choice.id for c in self.chosen):
            return
        self.chosen.append(choice)
        self.chosen_list.addItem(choice.label)
        self.chosen_list.setCurrentRow(self.chosen_list.count() - 1)
        self.service_edit.clear()
        self._suggest()
        self.service_edit.setFocus()

    def _remove_service(self, row: int) -> None:
        if 0 <= row < len(self.chosen):
            del self.chosen[row]
            self.chosen_list.takeItem(row)
            self._suggest()

    def _when_edited(self) -> None:
        self.when_touched = True

    def _set_when(self, value: dt.datetime | None) -> None:
        """Show ``value`` (or now); an untouched field records the time of saving."""
        self.when.blockSignals(True)
        self.when.setDateTime(QDateTime(value or dates.now()))
        self.when.blockSignals(False)
        self.when_touched = value is not None

    def _follow_clock(self) -> None:
        if not self.when_touched and not self.when.hasFocus():
            self._set_when(None)

    def _place_changed(self) -> None:
        outside = self.place.currentData() == "outside"
        self.place_community.setEnabled(outside)
        self.place_community_label.setEnabled(outside)

    # -- keyboard -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key, mods = event.key(), event.modifiers()
        if mods & Qt.KeyboardModifier.ControlModifier:
            return False
        if watched is self.service_edit:
            return self._service_key(key)
        if watched is self.chosen_list and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            row = self.chosen_list.currentRow()
            self._remove_service(row if row >= 0 else len(self.chosen) - 1)
            return True
        if watched in (self.results, self.duplicates) and key in _ENTER:
            item = watched.currentItem()
            if item is not None:
                (self._result_chosen if watched is self.results else self._duplicate_chosen)(item)
            return True
        if watched is self.results and key == Qt.Key.Key_Escape:
            self.results.hide()
            self.focus_search()
            return True
        if (
            watched in self.new_form.fields.values() or watched is self.new_form.community.lineEdit()
        ) and key in _ENTER:
            if watched is self.new_form.phone:
                self.service_edit.setFocus()
            else:
                self.focusNextChild()
            return True
        return False

    def _service_key(self, key: int) -> bool:
        rows = self.suggestions.count()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and rows:
            step = 1 if key == Qt.Key.Key_Down else -1
            self.suggestions.setCurrentRow((self.suggestions.currentRow() + step) % rows)
            return True
        if key in _ENTER:
            if self.service_edit.text().strip():
                item = self.suggestions.currentItem()
                if item is None:
                    self._error(
                        _("Ningún servicio coincide con «{text}».").format(text=self.service_edit.text().strip())
                    )
                else:
                    self._add_service(item.data(Qt.ItemDataRole.UserRole))
            else:
                self.save()
            return True
        if key == Qt.Key.Key_Backspace and not self.service_edit.text() and self.chosen:
            self._remove_service(len(self.chosen) - 1)
            return True
        return False

    # -- saving ---------------------------------------------------------------------------------

    def entry(self) -> DeskEntry:
        attended_at = self.when.dateTime().toPython() if self.when_touched else None  # None: now
        place = self.place.currentData() or "inside"
        community = self.place_community.currentData() if place == "outside" else None
        new_person = None if self.person is not None else (self.new_form.form() if self.new_form.isVisible() else None)
        return DeskEntry(
            self.person.id if self.person else None,
            new_person,
            [c.id for c in self.chosen],
            place,
            community,
            attended_at,
            self.stop.currentData() if self.pias else None,
        )

    def save(self) -> None:
        """Save the person (when new) and the chosen services in one transaction."""
        entry = self.entry()
        self.error_label.hide()
        if entry.new_person is not None and not self.duplicates_seen and self._offer_duplicates(entry.new_person):
            return
        corrected = self.correcting and self.last is not None
        try:
            if corrected:
                reason = self._ask_reason(_("Corregir la última atención"))
                if reason is None:
                    return
                result = self.desk.correct(self.last, entry, reason)
            else:
                result = self.desk.register(entry)
        except ValidationError as exc:
            self._show_errors(exc)
            return
        except TamboError as exc:
            report_error(self, exc)
            return
        self.last, self.last_entry = (
            result,
            DeskEntry(
                result.person_id,
                None,
                list(entry.service_ids),
                entry.place,
                entry.community_id,
                entry.attended_at,
                entry.voyage_stop_id,
            ),
        )
        self.correcting = False
        count = len(result.attention_ids)
        self.status.setText(
            i18n.ngettext(
                "Guardado: {name} — {n} atención ({services}).",
                "Guardado: {name} — {n} atenciones ({services}).",
                count,
            ).format(name=result.person_name, n=count, services=", ".join(result.service_names))
        )
        self.status.setStyleSheet("color: #1b5e20;")
        for button in (self.correct_button, self.void_button):
            button.setEnabled(True)
        self.clear(keep_status=True)
        if corrected:  # the corrected atención's services count less: read the counts again (rare)
            self.refresh()
        else:
            self._count_saved(entry.service_ids)
        self._suggest()
        self.saved.emit()

    def _count_saved(self, service_ids) -> None:
        """The services just saved count once more today and recently, in the order the service
        gives (today's, then the last 90 days', then by name): the same as reading the counts again,
        without the two counts over the atenciones on the GUI thread after every Enter (85 ms of it
        on the large demo of a busy PC). Another PC's saves are read when the desk is shown again."""
        saved = Counter(service_ids)
        self.choices = sorted(
            (replace(c, used_today=c.used_today + saved[c.id], used_recently=c.used_recently + saved[c.id])
             if c.id in saved else c for c in self.choices),
            key=lambda c: (-c.used_today, -c.used_recently, c.key),
        )  # fmt: skip

    def _offer_duplicates(self, form: PersonForm) -> bool:
        """Show registered persons who may be this one; True when the clerk must look first."""
        try:
            found = self.desk.persons.possible_duplicates(form)
        except TamboError:
            return False
        self.duplicates_seen = True
        if not found:
            return False
        self.duplicates.clear()
        for duplicate in found:
            item = QListWidgetItem(self._describe(duplicate.person))
            item.setData(Qt.ItemDataRole.UserRole, duplicate.person)
            self.duplicates.addItem(item)
        self.duplicates_label.setText(
            _("¿Ya está registrada? Elija a la persona de la lista y pulse Enter; si es otra persona, guarde otra vez.")
        )
        self.duplicates_label.show()
        self.duplicates.show()
        self.duplicates.setCurrentRow(0)
        self.duplicates.setFocus()
        return True

    def _show_errors(self, exc: ValidationError) -> None:
        person_fields = set(self.new_form.fields)
        person_errors = [e for e in exc.errors if e.field in person_fields]
        other = [e for e in exc.errors if e.field not in person_fields]
        if person_errors:
            show_field_errors(self.new_form.error_label, self.new_form.fields, self.new_form.labels, person_errors)
        if other:
            self._error("\n".join(e.message for e in other))
            if any(e.field == "services" for e in other) and not person_errors:
                self.service_edit.setFocus()
            if any(e.field == "person" for e in other):
                self.focus_search()

    def _error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _ask_reason(self, title: str) -> str | None:
        reason, ok = QInputDialog.getText(self, title, _("Motivo:"))
        return reason if ok else None

    def void_last(self) -> None:
        if self.last is None:
            return
        reason = self._ask_reason(_("Anular la última atención"))
        if reason is None:
            return
        try:
            self.desk.void(self.last, reason)
        except ValidationError as exc:
            self._error(exc.errors[0].message)
            return
        except TamboError as exc:
            report_error(self, exc)
            return
        self.status.setText(
            _("Anulada: {name} — {services}.").format(
                name=self.last.person_name, services=", ".join(self.last.service_names)
            )
        )
        self.status.setStyleSheet("color: #8a4b00;")
        self.last = self.last_entry = None
        self.correcting = False
        for button in (self.correct_button, self.void_button):
            button.setEnabled(False)
        self.saved.emit()
        self.focus_search()

    def correct_last(self) -> None:
        """Load the last entry back into the form; saving replaces it (with a reason)."""
        if self.last is None or self.last_entry is None:
            return
        self.clear()
        try:
            self._use(self.desk.persons.get(self.last.person_id))
        except TamboError as exc:
            report_error(self, exc)
            return
        by_id = {c.id: c for c in self.choices}
        for service_id in self.last_entry.service_ids:
            if service_id in by_id:
                self._add_service(by_id[service_id])
        select_data(self.place, self.last_entry.place)
        select_data(self.place_community, self.last_entry.community_id)
        select_data(self.stop, self.last_entry.voyage_stop_id)
        self._set_when(self.last_entry.attended_at)
        self.correcting = True
        self.status.setText(_("Corrigiendo la última atención: cambie lo necesario y guarde."))
        self.status.setStyleSheet("color: #0d47a1;")

    def clear(self, keep_status: bool = False) -> None:
        """Ready for the next person."""
        self.person = None
        self.chosen.clear()
        self.chosen_list.clear()
        self.search.clear()
        self.results.hide()
        self.card.hide()
        self.new_form.clear()
        self.new_form.hide()
        self._hide_duplicates()
        self.service_edit.clear()
        self.error_label.hide()
        self.duplicates_seen = False
        if self.correcting and not keep_status:
            self.correcting = False
            self.status.clear()
        self._set_when(None)
        self._suggest()
        self.focus_search()

    # -- language -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(_("Mesa de atención"))
        self.hint.setText(
            _(
                "DNI o nombre y Enter · escriba un servicio y Enter para añadirlo · Enter con el campo vacío guarda · "
                "Esc limpia para la siguiente persona"
            )
        )
        self.person_box.setTitle(_("1. Persona"))
        self.search_label.setText(_("&DNI o nombre:"))
        self.search.setPlaceholderText(_("Ej.: 41234567 o Juana Mamani"))
        self.services_box.setTitle(_("2. Servicios"))
        self.service_label.setText(_("&Servicio:"))
        self.service_edit.setPlaceholderText(_("Escriba parte del servicio o de la entidad"))
        self.chosen_label.setText(_("Elegidos (Supr quita uno):"))
        self.place_label.setText(_("&Lugar:"))
        fill_combo(self.place, PIAS_PLACES if self.pias else PLACES)
        self.place_community_label.setText(_("Centro poblado donde se atendió:"))
        self.when_label.setText(_("Fecha y &hora:"))
        self.stop_label.setText(_("Pa&rada de la travesía:"))
        self.save_button.setText(_("&Guardar (Enter)"))
        self.clear_button.setText(_("Lim&piar (Esc)"))
        self.correct_button.setText(_("&Corregir la última…"))
        self.void_button.setText(_("A&nular la última…"))
        self.new_form.retranslate()
        self._place_changed()
        if self.choices and self.isVisible():  # service names in the new language
            self.refresh()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
