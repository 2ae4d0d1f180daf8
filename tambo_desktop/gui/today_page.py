"""The Today page ("Hoy"): atenciones and usuarios today and this month against the month's goals.

Every number comes from :mod:`tambo_desktop.services.indicators` (the one place of the
counting rule); the page only formats it. Also here: the pieces the month view shares (a goal
progress cell, the breakdown table model with its progress bars, number and percent formats).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from babel import numbers as babel_numbers
from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.attentions import AttentionFilter, AttentionRow, AttentionService
from tambo_desktop.services.indicators import Count, Indicators, IndicatorService
from tambo_desktop.services.session import Session

#: How many of today's last atenciones the page lists.
LAST_SERVED = 15
#: The rule in one sentence, shown under the totals of both pages.
RULE_NOTE = N_(
    "Una atención es un servicio entregado a una persona; un usuario es una persona distinta: "
    "una persona atendida dos veces en el mes cuenta como un usuario y dos atenciones."
)
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 1  # the fraction of the goal reached (None: no goal)
HEADER_STYLE = "font-size: 14pt; font-weight: bold;"
SECTION_STYLE = "font-weight: bold;"
NOTE_STYLE = "color: #455a64;"


# -- formats ----------------------------------------------------------------------------------------


def number(value: int | None) -> str:
    return "" if value is None else i18n.format_number(value)


def share(done: int, goal: int | None) -> float | None:
    """The fraction of ``goal`` reached; None when there is no goal (or it is zero)."""
    return None if goal is None or goal <= 0 else done / goal


def percent(fraction: float) -> str:
    """A percentage in the user's locale, rounded down (99.6 % is not yet 100 %)."""
    return babel_numbers.format_percent(math.floor(fraction * 100 + 1e-9) / 100, locale=i18n.babel_locale())


def progress_text(done: int, goal: int | None) -> str:
    """«N de M (P %)» in the user's language and locale; «N (sin meta)» without a goal."""
    if goal is None:
        return _("{done} (sin meta)").format(done=number(done))
    fraction = share(done, goal)
    if fraction is None:
        return _("{done} de {goal}").format(done=number(done), goal=number(goal))
    return _("{done} de {goal} ({percent})").format(done=number(done), goal=number(goal), percent=percent(fraction))


def month_name(month: int) -> str:
    """The month's name on its own (``Marzo``), in the user's locale."""
    name = i18n.babel_locale().months["stand-alone"]["wide"][month]
    return name[:1].upper() + name[1:]


def fill_months(combo) -> None:
    """(Re)fill a combo with the twelve months (data 1–12) in the user's language, keeping the choice."""
    current = combo.currentIndex()
    combo.blockSignals(True)
    combo.clear()
    for month in range(1, 13):
        combo.addItem(month_name(month), month)
    combo.setCurrentIndex(max(current, 0))
    combo.blockSignals(False)


def month_title(year: int, month: int, capital: bool = False) -> str:
    """A month and its year (``marzo de 2025``) in the user's locale; ``capital`` to start a line."""
    from babel import dates as babel_dates

    text = babel_dates.format_skeleton("yMMMM", dt.date(year, month, 1), locale=i18n.babel_locale())
    return text[:1].upper() + text[1:] if capital else text


def day_indicators(session: Session, day: dt.date) -> Indicators:
    """One day's atenciones and usuarios: the same computation as the month's (one rule)."""
    return IndicatorService(session).day(day)


# -- a total against its goal -----------------------------------------------------------------------


class GoalProgress(QWidget):
    """A big number, a bar towards the goal and «N de M (P %)» under it."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.number = QLabel("0")
        font = QFont(self.number.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.number.setFont(font)
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(14)
        self.bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet(NOTE_STYLE)
        self.done: int = 0
        self.goal: int | None = None
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(10)
        layout.setVerticalSpacing(2)
        layout.addWidget(self.number, 0, 0, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.bar, 0, 1)
        layout.addWidget(self.detail, 1, 1)
        layout.setColumnStretch(1, 1)

    def set_values(self, done: int, goal: int | None) -> None:
        self.done, self.goal = done, goal
        self.number.setText(number(done))
        fraction = share(done, goal)
        self.bar.setEnabled(goal is not None)
        self.bar.setRange(0, 1000)
        self.bar.setValue(0 if fraction is None else min(1000, round(fraction * 1000)))
        if goal == 0:
            self.bar.setValue(1000)
        self.detail.setText(progress_text(done, goal))
        self.bar.setAccessibleDescription(self.detail.text())


# -- breakdown tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountColumn(Column):
    """A breakdown column: what it shows, how it sorts, and (for «Avance») the fraction drawn as a bar."""

    key: Callable[[Count], object] | None = None  # the sort key (None: the service's order)
    progress: Callable[[Count], float | None] | None = None
    tooltip: str = ""  # Spanish source of the header's tooltip


#: The first column's heading of each breakdown.
LABEL_TITLES = {
    "month": N_("Mes"),
    "entity": N_("Entidad"),
    "sector": N_("Sector"),
    "level": N_("Nivel de gobierno"),
    "service": N_("Servicio"),
    "community": N_("Centro poblado"),
    "place_community": N_("Lugar de atención"),
    "sex": N_("Sexo"),
    "age_group": N_("Curso de vida"),
    "place": N_("Lugar"),
}
#: Breakdowns whose groups have goals (metas).
WITH_GOALS = ("entity", "month")


def count_label(name: str, count: Count) -> str:
    if name == "entity" and count.label != count.key:
        return f"{count.key} — {count.label}"
    if name == "month":
        return month_name(int(count.key[5:7]))
    return count.label


def _progress(done: Callable[[Count], int], goal: Callable[[Count], int | None]) -> Callable[[Count], float | None]:
    def fraction(c: Count) -> float | None:
        value = goal(c)
        return None if value is None else (share(done(c), value) if value > 0 else 1.0)

    return fraction


def _progress_label(done: Callable[[Count], int], goal: Callable[[Count], int | None]) -> Callable[[Count], str]:
    def text(c: Count) -> str:
        fraction = share(done(c), goal(c))
        return percent(fraction) if fraction is not None else ""

    return text


def count_columns(name: str) -> list[CountColumn]:
    """label / atenciones / usuarios, with meta and avance where the groups have goals."""
    label = CountColumn(LABEL_TITLES.get(name, N_("Grupo")), lambda c, n=name: count_label(n, c))
    attentions = CountColumn(N_("Atenciones"), lambda c: number(c.attentions), True, key=lambda c: c.attentions)
    users = CountColumn(N_("Usuarios"), lambda c: number(c.users), True, key=lambda c: c.users)
    if name not in WITH_GOALS:
        return [label, attentions, users]

    def goal_a(c: Count) -> int | None:
        return c.goal_attentions

    def goal_u(c: Count) -> int | None:
        return c.goal_users

    def a(c: Count) -> int:
        return c.attentions

    def u(c: Count) -> int:
        return c.users

    return [
        label,
        attentions,
        CountColumn(N_("Meta"), lambda c: number(c.goal_attentions), True, key=_none_last(goal_a), tooltip=N_("Meta de atenciones")),
        CountColumn(N_("Avance"), _progress_label(a, goal_a), True, key=_none_last(_progress(a, goal_a)), progress=_progress(a, goal_a), tooltip=N_("Atenciones respecto de su meta")),
        users,
        CountColumn(N_("Meta"), lambda c: number(c.goal_users), True, key=_none_last(goal_u), tooltip=N_("Meta de usuarios")),
        CountColumn(N_("Avance"), _progress_label(u, goal_u), True, key=_none_last(_progress(u, goal_u)), progress=_progress(u, goal_u), tooltip=N_("Usuarios respecto de su meta")),
    ]  # fmt: skip


def _none_last(value: Callable[[Count], object]) -> Callable[[Count], object]:
    def key(c: Count) -> object:
        v = value(c)
        return (0, 0) if v is None else (1, v)

    return key


class CountsModel(RowsModel):
    """The groups of one breakdown, as the service returned them; sortable by any column.

    The label column sorts in the service's own order (curso de vida by age, months by date).
    """

    def __init__(self, columns: Sequence[CountColumn], parent=None) -> None:
        super().__init__(columns, parent)
        self.natural: list[Count] = []
        self.sort_column = 1
        self.sort_order = Qt.SortOrder.DescendingOrder

    def set_rows(self, rows: list) -> None:
        self.natural = list(rows)
        self.beginResetModel()
        self.rows = self._sorted()
        self.endResetModel()

    def _sorted(self) -> list[Count]:
        column = self.columns[self.sort_column] if 0 <= self.sort_column < len(self.columns) else None
        position = {id(c): i for i, c in enumerate(self.natural)}
        key = getattr(column, "key", None) or (lambda c: position[id(c)])
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        return sorted(self.natural, key=key, reverse=descending)  # stable: ties keep the service's order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self.rows = self._sorted()
        self.layoutChanged.emit()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == PROGRESS_ROLE and index.isValid():
            progress = getattr(self.columns[index.column()], "progress", None)
            return None if progress is None else progress(self.rows[index.row()])
        return super().data(index, role)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            tip = getattr(self.columns[section], "tooltip", "")
            return _(tip) if tip else _(self.columns[section].title)
        return super().headerData(section, orientation, role)


class ProgressDelegate(QStyledItemDelegate):
    """Draws «Avance» cells as a small progress bar with the percentage on it."""

    def paint(self, painter, option, index) -> None:
        fraction = index.data(PROGRESS_ROLE)
        if fraction is None:
            super().paint(painter, option, index)
            return
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(3, 3, -3, -3)
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.minimum, bar.maximum = 0, 100
        bar.progress = max(0, min(100, round(fraction * 100)))
        bar.text = index.data() or ""
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.palette = option.palette
        bar.fontMetrics = option.fontMetrics
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)


def counts_table(model: RowsModel, sortable: bool = True, stretch: tuple[int, ...] = (0,)) -> QTableView:
    """A read-only table that fits its texts: the ``stretch`` columns share the spare width.

    The other columns are as wide as their cells; a heading longer than a few words is
    shortened with «…» (its tooltip has it whole) rather than squeezing the labels.
    """
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(48)
    header.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setItemDelegate(ProgressDelegate(table))
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
    if sortable and isinstance(model, CountsModel):
        header.setSortIndicator(model.sort_column, model.sort_order)
        table.setSortingEnabled(True)
    model.modelReset.connect(lambda: size_columns(table, stretch))
    model.headerDataChanged.connect(lambda *_args: size_columns(table, stretch))
    return table


def size_columns(table: QTableView, stretch: tuple[int, ...] = (0,)) -> None:
    """Size the columns that do not stretch: their cells whole, their heading up to a limit."""
    header = table.horizontalHeader()
    limit = table.fontMetrics().averageCharWidth() * 13 + 34
    for column in range(table.model().columnCount()):
        if column in stretch:
            continue
        cells = table.sizeHintForColumn(column)
        header.resizeSection(column, max(cells, min(header.sectionSizeHint(column), limit)))


def section_title() -> QLabel:
    """The heading of a part of a page: bold, and wrapped rather than cut when long."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(SECTION_STYLE)
    return label


def fit_rows(table: QTableView, most: int, least: int = 2) -> None:
    """Make ``table`` exactly as tall as its rows (between ``least`` and ``most`` of them)."""
    rows = max(least, min(most, table.model().rowCount()))
    height = table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(height + 2 * table.frameWidth() + 2)


# -- the page ---------------------------------------------------------------------------------------


LAST_COLUMNS = (
    Column(N_("Hora"), lambda r: i18n.format_datetime(r.attended_at, "HH:mm")),
    Column(N_("Persona"), lambda r: r.person_name),
    Column(N_("Servicio"), lambda r: r.service_name),
    Column(N_("Entidad"), lambda r: r.entity_code),
)


class TodayPage(QWidget):
    """«Hoy»: today's and this month's atenciones and usuarios against the month's goals."""

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("todayPage")
        self.session = session
        self.indicators = IndicatorService(session)
        self.attentions = AttentionService(session)
        self.day: dt.date = dt.date.today()
        self.today: Indicators | None = None
        self.month: Indicators | None = None
        self.last: list[AttentionRow] = []

        self.title = QLabel()
        self.title.setStyleSheet(HEADER_STYLE)
        self.title.setWordWrap(True)
        self.goals_button = QPushButton()
        self.goals_button.setVisible(session.can("goals.edit"))
        self.goals_button.clicked.connect(self.open_goals)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.goals_button, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)

        # today and this month, atenciones and usuarios, against the month's goals
        self.summary = QFrame()
        self.summary.setFrameShape(QFrame.Shape.StyledPanel)
        self.today_heading = QLabel()
        self.month_heading = QLabel()
        self.attentions_label = QLabel()
        self.users_label = QLabel()
        for label in (self.today_heading, self.month_heading, self.attentions_label, self.users_label):
            label.setWordWrap(True)
            label.setStyleSheet("font-weight: bold;")
        self.today_attentions = GoalProgress()
        self.today_users = GoalProgress()
        self.month_attentions = GoalProgress()
        self.month_users = GoalProgress()
        grid = QGridLayout(self.summary)
        grid.setHorizontalSpacing(18)
        grid.addWidget(self.today_heading, 0, 1)
        grid.addWidget(self.month_heading, 0, 2)
        grid.addWidget(self.attentions_label, 1, 0)
        grid.addWidget(self.today_attentions, 1, 1)
        grid.addWidget(self.month_attentions, 1, 2)
        grid.addWidget(self.users_label, 2, 0)
        grid.addWidget(self.today_users, 2, 1)
        grid.addWidget(self.month_users, 2, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.goals_note = QLabel()
        self.goals_note.setWordWrap(True)
        self.goals_note.setStyleSheet(NOTE_STYLE)
        grid.addWidget(self.goals_note, 3, 0, 1, 3)
        self.rule_note = QLabel()
        self.rule_note.setWordWrap(True)
        self.rule_note.setStyleSheet(NOTE_STYLE)

        # by entity this month, and the last people served today
        self.entity_box = QWidget()
        self.entity_title = section_title()
        self.entity_model = CountsModel(count_columns("entity"), self)
        self.entity_table = counts_table(self.entity_model)
        self.entity_title.setBuddy(self.entity_table)
        entity_layout = QVBoxLayout(self.entity_box)
        entity_layout.setContentsMargins(0, 6, 0, 0)
        entity_layout.addWidget(self.entity_title)
        entity_layout.addWidget(self.entity_table)
        self.last_box = QWidget()
        self.last_title = section_title()
        self.last_model = RowsModel(LAST_COLUMNS, self)
        self.last_table = counts_table(self.last_model, sortable=False, stretch=(1, 2))
        self.last_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.last_title.setBuddy(self.last_table)
        self.nobody_label = QLabel()
        self.nobody_label.setWordWrap(True)
        self.nobody_label.setStyleSheet(NOTE_STYLE)
        last_layout = QVBoxLayout(self.last_box)
        last_layout.setContentsMargins(0, 6, 0, 0)
        last_layout.addWidget(self.last_title)
        last_layout.addWidget(self.nobody_label)
        last_layout.addWidget(self.last_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.entity_box)
        splitter.addWidget(self.last_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.alerts = QLabel(objectName="alertsLabel", wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.alerts.setStyleSheet("background: #fff4e5; border: 1px solid #f0b46a; border-radius: 4px; padding: 6px;")
        self.alerts.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.alerts)
        layout.addWidget(self.summary)
        layout.addWidget(self.rule_note)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.goals_button, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.entity_table)
        self.setTabOrder(self.entity_table, self.last_table)
        self._loaded = False
        self.retranslate()
        self.refresh()

    # -- data -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recount today and this month (when the page is shown, and after a save at the desk)."""
        self.day = dt.date.today()
        try:
            self.today = day_indicators(self.session, self.day)
            self.month = self.indicators.month(self.day.year, self.day.month)
            self.last = self.attentions.list(
                AttentionFilter(date_from=self.day, date_to=self.day, include_voided=False), limit=LAST_SERVED
            ).rows
        except TamboError as exc:
            report_error(self, exc)
            return
        self._loaded = True
        self._show()
        self._alerts()

    def _alerts(self) -> None:
        """Today's interventions and the certifications that expire within 60 days."""
        from html import escape

        from tambo_desktop.services.interventions import InterventionFilter, InterventionService
        from tambo_desktop.services.training import TrainingService

        lines = []
        try:
            today = InterventionService(self.session).list(InterventionFilter(self.day, self.day))
            expiring = TrainingService(self.session).expiring(self.day)
        except TamboError:
            today, expiring = [], []
        active = [r for r in today if r.status in ("programmed", "rescheduled")]
        if active:
            items = "; ".join(escape(f"{r.starts_at:%H:%M} {r.entity_label} — {r.title} ({r.where})") for r in active)
            lines.append("<b>" + escape(_("Hoy en el calendario:")) + "</b> " + items)
        for row in expiring:
            when = i18n.format_date(row.valid_until, "dd/MM/yyyy")
            if row.days_left < 0:
                text = _("{name}: «{certification}» venció el {date}.")
            else:
                text = _("{name}: «{certification}» vence el {date} (en {days} días).")
            line = escape(text.format(name=row.name, certification=row.certification, date=when, days=row.days_left))
            lines.append(("⚠ " if row.days_left < 0 else "") + line)
        if expiring:
            index = len(lines) - len(expiring)
            lines.insert(index, "<b>" + escape(_("Certificaciones por vencer (60 días):")) + "</b>")
        from tambo_desktop.services.diagnostics import DiagnosticService
        from tambo_desktop.services.settings import stale_days

        try:
            stale = DiagnosticService(self.session).stale(self.day)
        except TamboError:
            stale = []
        if stale:
            names = ", ".join(
                f"{r.community} ({r.days})" if r.days is not None else _("{community} (nunca)").format(community=r.community) for r in stale[:12]
            )
            more = len(stale) - 12
            text = _("Sin visita hace más de {days} días:").format(days=stale_days())
            lines.append("<b>" + escape(text) + "</b> " + escape(names) + (f" … +{more}" if more > 0 else ""))
        lines += self._campaign_lines()
        self.alerts.setText("<br>".join(lines))
        self.alerts.setVisible(bool(lines))

    def _campaign_lines(self) -> list[str]:
        """Campaigns to push at 14 and 7 days before their intervention, and interventions nobody announces."""
        from html import escape

        from tambo_desktop.services.campaigns import CampaignService

        try:
            reminders = CampaignService(self.session).reminders(self.day)
        except TamboError:
            return []
        lines = []
        for r in reminders:
            day = i18n.format_date(r.day, "dd/MM")
            if r.campaign_id is None:
                text = _("«{title}» ({date}, en {days} días) aún no tiene campaña de difusión.")
            elif r.days_left <= 7:
                text = _("Quedan {days} días para «{title}» ({date}) y {tasks} tareas de la campaña sin hacer.")
            else:
                text = _("Campaña «{title}» ({date}, en {days} días): {tasks} tareas por hacer.")
            line = escape(text.format(title=r.title, date=day, days=r.days_left, tasks=r.open_tasks))
            lines.append(("⚠ " if r.campaign_id is not None and r.days_left <= 7 else "") + line)
        if lines:
            lines.insert(0, "<b>" + escape(_("Campañas de difusión:")) + "</b>")
        return lines

    def _show(self) -> None:
        today, month = self.today, self.month
        if today is None or month is None:
            return
        self.today_attentions.set_values(today.attentions, month.goal_attentions)
        self.today_users.set_values(today.users, month.goal_users)
        self.month_attentions.set_values(month.attentions, month.goal_attentions)
        self.month_users.set_values(month.users, month.goal_users)
        self.entity_model.set_rows(month.breakdowns.get("entity", []))
        self.last_model.set_rows(self.last)
        self.last_table.setVisible(bool(self.last))
        self.nobody_label.setVisible(not self.last)
        self._texts()

    def open_goals(self) -> None:
        """The month's goals (administrators); the page recounts after a save."""
        from tambo_desktop.gui.goals_dialog import GoalsDialog

        day = dt.date.today()
        if GoalsDialog(self.session, day.year, day.month, self).exec():
            self.refresh()

    # -- language ---------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "_loaded"):
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.goals_button.setText(_("&Metas del mes…"))
        self.refresh_button.setText(_("Actuali&zar"))
        self.attentions_label.setText(_("Atenciones"))
        self.users_label.setText(_("Usuarios"))
        self.today_heading.setText(_("Hoy"))
        self.rule_note.setText(_(RULE_NOTE))
        self.entity_title.setText(_("Por &entidad, este mes"))
        self.last_title.setText(_("Las ú&ltimas personas atendidas hoy"))
        self.nobody_label.setText(_("Todavía nadie fue atendido hoy."))
        self.entity_model.retranslate()
        self.last_model.retranslate()
        if self._loaded:  # labels from the service (service names, …) in the new language
            self.refresh()
        self._texts()

    def _texts(self) -> None:
        """Texts that depend on the date and the goals."""
        day = self.day
        self.title.setText(_("Hoy, {date}").format(date=i18n.format_date(day, "full")))
        self.month_heading.setText(_("Este mes ({month})").format(month=month_title(day.year, day.month)))
        month = self.month
        if month is None or (month.goal_attentions is None and month.goal_users is None):
            self.goals_note.setText(_("Este mes no tiene metas. Un administrador las fija con «Metas del mes…»."))
        else:
            self.goals_note.setText(
                _(
                    "Metas de {month}: {attentions} atenciones y {users} usuarios (del mes entero, también para hoy)."
                ).format(
                    month=month_title(day.year, day.month),
                    attentions=number(month.goal_attentions) or "—",
                    users=number(month.goal_users) or "—",
                )
            )
