"""The pieces the Today and Month pages share: goal progress cells, the breakdown table model with
its progress bars, month names and the number and percent formats of the indicators.

Every number comes from :mod:`tambo_desktop.services.indicators` (the one place of the counting
rule); these widgets only format it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGridLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from tambo_desktop import i18n
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.indicators import Count, Indicators, IndicatorService
from tambo_desktop.services.session import Session

#: How many of today's last atenciones the page lists.
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
    return i18n.format_percent(math.floor(fraction * 100 + 1e-9) / 100)


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
    name = i18n.month_names()[month - 1]
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
    text = i18n.format_date(dt.date(year, month, 1), "month_year")
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
