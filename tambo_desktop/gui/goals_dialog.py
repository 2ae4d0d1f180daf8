"""«Metas del mes…»: the month's goals of the tambo and of its entities (administrators only).

The values are typed as text and validated by :class:`GoalService` (the service also refuses
anyone who may not ``goals.edit``); its errors are shown under the row they belong to. All the
rows of a month are saved in one transaction: a wrong value in any row saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop.errors import FieldError, StaleRecord, TamboError, ValidationError
from tambo_desktop.gui import conflict_dialog
from tambo_desktop.gui.indicators import NOTE_STYLE, fill_months, month_title
from tambo_desktop.gui.keys import select_on_focus
from tambo_desktop.gui.widgets import INVALID_STYLE, read_only, report_error, show_field_errors
from tambo_desktop.i18n import _
from tambo_desktop.services import catalogue
from tambo_desktop.services.goals import GoalForm, GoalRow, GoalService
from tambo_desktop.services.session import Session

FIRST_YEAR, LAST_YEAR = 2013, 2100  # the months GoalService accepts
ERROR_STYLE = "color: #b71c1c;"


@dataclass
class GoalLine:
    """One row of the dialog: the tambo (``code == ""``) or one entity."""

    code: str
    name: str
    label: QLabel
    attentions: QLineEdit
    users: QLineEdit
    error_label: QLabel
    existing: GoalRow | None = None
    #: The goal's version when the month was read (0: there was none), and whether the user chose
    #: to apply theirs on top of another PC's save.
    version: int = 0
    on_top: bool = False

    @property
    def fields(self) -> dict[str, QWidget]:
        return {"attentions": self.attentions, "users": self.users}

    def is_blank(self) -> bool:
        return not self.attentions.text().strip() and not self.users.text().strip()


class GoalsDialog(QDialog):
    """Set the goals (metas de atenciones y de usuarios) of one month."""

    def __init__(self, session: Session, year: int, month: int, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("goalsDialog")
        self.setStyleSheet(INVALID_STYLE)
        self.session = session
        self.service = GoalService(session)
        self.lines: dict[str, GoalLine] = {}
        self.saved = 0

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.month_label = QLabel()
        self.month_edit = QComboBox()
        self.month_label.setBuddy(self.month_edit)
        self.year_label = QLabel()
        self.year_edit = QSpinBox()
        self.year_edit.setRange(FIRST_YEAR, LAST_YEAR)
        self.year_edit.setGroupSeparatorShown(False)
        self.year_label.setBuddy(self.year_edit)
        self.copy_button = QPushButton()
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_previous)
        period = QHBoxLayout()
        period.addWidget(self.month_label)
        period.addWidget(self.month_edit)
        period.addWidget(self.year_label)
        period.addWidget(self.year_edit)
        period.addStretch(1)
        period.addWidget(self.copy_button)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setStyleSheet(NOTE_STYLE)

        # the rows: the tambo first, then one per entity with a goal
        self.attentions_header = QLabel()
        self.users_header = QLabel()
        for label in (self.attentions_header, self.users_header):
            label.setWordWrap(True)
            label.setStyleSheet("font-weight: bold;")
        self.rows_widget = QWidget()
        self.grid = QGridLayout(self.rows_widget)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(0, 1)
        self.grid.addWidget(self.attentions_header, 0, 1, Qt.AlignmentFlag.AlignBottom)
        self.grid.addWidget(self.users_header, 0, 2, Qt.AlignmentFlag.AlignBottom)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        inner_layout.addWidget(self.rows_widget)
        inner_layout.addStretch(1)
        self.scroll.setWidget(inner)

        self.add_label = QLabel()
        self.add_edit = QComboBox()
        self.add_edit.setMinimumContentsLength(18)
        self.add_edit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.add_label.setBuddy(self.add_edit)
        self.add_edit.installEventFilter(self)  # Enter on the list adds the entity (it does not save)
        self.add_button = QPushButton()
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_selected_entity)
        adding = QHBoxLayout()
        adding.addWidget(self.add_label)
        adding.addWidget(self.add_edit, 1)
        adding.addWidget(self.add_button)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(session.can("goals.edit"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(period)
        layout.addWidget(self.explain)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(adding)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self._entities = catalogue.entities(active_only=True)
        self.retranslate()
        self.year_edit.setValue(year)
        self.month_edit.setCurrentIndex(month - 1)
        self.month_edit.currentIndexChanged.connect(self.load)
        self.year_edit.valueChanged.connect(self.load)
        self.load()
        self.resize(640, 560)

    # -- the month's rows -------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.year_edit.value()

    @property
    def month(self) -> int:
        return self.month_edit.currentIndex() + 1

    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def _goals(self, year: int, month: int) -> list[GoalRow]:
        return [g for g in self.service.list(year) if g.month == month]

    def load(self) -> None:
        """Show the goals of the chosen month (unsaved changes of another month are dropped)."""
        try:
            goals = self._goals(self.year, self.month)
        except TamboError as exc:
            report_error(self, exc)
            goals = []
        self._clear_lines()
        self._add_line("")
        by_code = {g.entity_code: g for g in goals}
        for goal in goals:
            if goal.entity_code:
                self._add_line(goal.entity_code)
        for code, line in self.lines.items():
            goal = by_code.get(code)
            line.existing = goal
            line.version, line.on_top = (goal.version if goal else 0), False
            if goal is not None:
                line.attentions.setText(str(goal.attentions_goal))
                line.users.setText(str(goal.users_goal))
        self.error_label.hide()
        self._fill_add_choices()
        self._texts()
        self.lines[""].attentions.setFocus()

    def copy_previous(self) -> None:
        """Fill the rows with last month's goals (nothing is saved until «Guardar»)."""
        year, month = (self.year, self.month - 1) if self.month > 1 else (self.year - 1, 12)
        try:
            goals = self._goals(year, month)
        except TamboError as exc:
            report_error(self, exc)
            return
        if not goals:
            self.error_label.setText(
                _("{month} no tiene metas que copiar.").format(month=month_title(year, month, capital=True))
            )
            self.error_label.setStyleSheet(NOTE_STYLE)
            self.error_label.show()
            return
        for goal in goals:
            line = self.lines.get(goal.entity_code) or self._add_line(goal.entity_code)
            line.attentions.setText(str(goal.attentions_goal))
            line.users.setText(str(goal.users_goal))
        self._fill_add_choices()

    def add_entity(self, code: str) -> GoalLine:
        """A row for the goal of one more entity (or the existing one)."""
        line = self.lines.get(code) or self._add_line(code)
        self._fill_add_choices()
        line.attentions.setFocus()
        return line

    def add_selected_entity(self) -> None:
        code = self.add_edit.currentData()
        if code:
            self.add_entity(code)

    def _add_line(self, code: str) -> GoalLine:
        names = {e.code: e.name for e in self._entities}
        if code and code not in names:  # an entity no longer active still shows its goal
            names.update({e.code: e.name for e in catalogue.entities()})
        name = names.get(code, code)
        label = QLabel()
        label.setWordWrap(True)
        attentions, users = QLineEdit(), QLineEdit()
        for edit in (attentions, users):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaxLength(12)
            edit.setMinimumWidth(90)
            edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        label.setBuddy(attentions)
        select_on_focus(attentions, users)
        if not self.session.can("goals.edit"):
            read_only((attentions, users))
        error = QLabel()
        error.setWordWrap(True)
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        row = 1 + 2 * len(self.lines)
        self.grid.addWidget(label, row, 0)
        self.grid.addWidget(attentions, row, 1)
        self.grid.addWidget(users, row, 2)
        self.grid.addWidget(error, row + 1, 0, 1, 3)
        if self.rows_widget.isVisible():  # shown now, so that it can take the focus at once
            for widget in (label, attentions, users):
                widget.show()
        line = GoalLine(code, name, label, attentions, users, error)
        self.lines[code] = line
        self._label_line(line)
        previous = list(self.lines.values())
        if len(previous) > 1:
            self.setTabOrder(previous[-2].users, attentions)
        self.setTabOrder(attentions, users)
        return line

    def _clear_lines(self) -> None:
        for line in self.lines.values():
            for widget in (line.label, line.attentions, line.users, line.error_label):
                self.grid.removeWidget(widget)
                widget.deleteLater()
        self.lines.clear()

    def _fill_add_choices(self) -> None:
        self.add_edit.clear()
        for entity in self._entities:
            if entity.code not in self.lines:
                self.add_edit.addItem(f"{entity.code} — {entity.name}", entity.code)
        self.add_edit.setEnabled(self.add_edit.count() > 0)
        self.add_button.setEnabled(self.add_edit.count() > 0)

    def _label_line(self, line: GoalLine) -> None:
        if line.code:
            line.label.setText(f"{line.code} — {line.name}")
        else:
            line.label.setText(_("&Todo el tambo"))
        line.attentions.setAccessibleName(_("Meta de atenciones: {who}").format(who=line.label.text().replace("&", "")))
        line.users.setAccessibleName(_("Meta de usuarios: {who}").format(who=line.label.text().replace("&", "")))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.add_edit
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.add_selected_entity()
            return True
        return super().eventFilter(watched, event)

    # -- saving -----------------------------------------------------------------------------------

    def forms(self) -> list[tuple[GoalLine, GoalForm]]:
        """The rows to save: every row with a value, and every row that had a goal."""
        return [
            (
                line,
                GoalForm(
                    self.period(), line.attentions.text(), line.users.text(), line.code, line.version, line.on_top
                ),
            )
            for line in self.lines.values()
            if not line.is_blank() or line.existing is not None
        ]

    def save(self) -> None:
        """Save every row through GoalService in one transaction; any wrong row saves nothing."""
        forms = self.forms()
        for line in self.lines.values():
            show_field_errors(line.error_label, line.fields, {}, [])
        self.error_label.hide()
        if not forms:
            self._general_error([_("Escriba al menos una meta: la del tambo o la de una entidad.")])
            self.lines[""].attentions.setFocus()
            return
        try:  # the service saves every row in one transaction, or none
            self.service.set_month(self.period(), [form for _line, form in forms])
        except ValidationError as exc:
            wrong: dict[str, list[FieldError]] = {}
            for error in exc.errors:
                code, _dot, field = error.field.rpartition(".")
                wrong.setdefault(code, []).append(FieldError(field, error.message))
            self._show_errors(wrong)
            return
        except StaleRecord as exc:  # another PC saved one of these goals since the month was read
            self._stale(exc, forms)
            return
        except TamboError as exc:  # not allowed, disk full, server gone…
            report_error(self, exc)
            return
        self.saved = len(forms)
        self.accept()

    def _stale(self, error: StaleRecord, forms: list[tuple[GoalLine, GoalForm]]) -> None:
        """Their values beside the user's: reload the month, or apply the user's on top. The rows are
        saved in order and the first stale one stops the save, so it is the first whose version is
        no longer the one read."""
        choice = conflict_dialog.ask(error, self)
        if choice == conflict_dialog.RELOAD:
            self.load()
        elif choice == conflict_dialog.KEEP_MINE:
            current = {g.entity_code: g.version for g in self._goals(self.year, self.month)}
            stale = next((line for line, _form in forms if line.version != current.get(line.code, 0)), None)
            if stale is not None:
                stale.version, stale.on_top = current.get(stale.code, 0), True
                self.save()

    def _show_errors(self, wrong: dict[str, list[FieldError]]) -> None:
        labels = {"attentions": self.attentions_header, "users": self.users_header}
        first = None
        other: list[str] = []
        for line in self.lines.values():
            errors = wrong.get(line.code, [])
            mine = [e for e in errors if e.field in line.fields]
            other += [e.message for e in errors if e.field not in line.fields]
            show_field_errors(line.error_label, line.fields, labels, mine)
            if mine and first is None:
                first = line.fields[mine[0].field]
        if other:
            self._general_error(list(dict.fromkeys(other)))
        if first is not None:
            first.setFocus()
            first.selectAll()
            self.scroll.ensureWidgetVisible(first)

    def _general_error(self, messages: list[str]) -> None:
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setText("\n".join(messages))
        self.error_label.show()

    # -- language ---------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "_entities"):
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.month_label.setText(_("&Mes:"))
        self.year_label.setText(_("A&ño:"))
        fill_months(self.month_edit)
        self.copy_button.setText(_("&Copiar del mes anterior"))
        self.explain.setText(
            _(
                "La meta del tambo y, si quiere, la de cada entidad: cuántas atenciones y cuántos usuarios "
                "(personas distintas) se esperan en el mes. Números enteros; los usuarios no pueden ser más "
                "que las atenciones."
            )
        )
        self.attentions_header.setText(_("Atenciones"))
        self.users_header.setText(_("Usuarios"))
        self.add_label.setText(_("Añadir &entidad:"))
        self.add_button.setText(_("&Añadir"))
        for line in self.lines.values():
            self._label_line(line)
        self._texts()

    def _texts(self) -> None:
        self.setWindowTitle(_("Metas del mes"))
        self.heading.setText(_("Metas de {month}").format(month=month_title(self.year, self.month)))
