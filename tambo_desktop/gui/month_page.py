"""The month view («Mes»): a month's (or a whole year's) atenciones and usuarios, broken down, with
its four charts above the tables (``gui/report_charts.ChartPanel``).

Totals against the goals, then one table per breakdown of :class:`IndicatorService` (entity,
sector, level of government, service, centro poblado, sex, curso de vida, inside or outside the
platform; and by month for a year). The numbers are the service's own; the page only formats
and sorts them (by atenciones, most first; a click on a heading sorts by that column).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates
from tambo_desktop.errors import TamboError
from tambo_desktop.gui import page_load
from tambo_desktop.gui.comfort import style_title
from tambo_desktop.gui.indicators import (
    NOTE_STYLE,
    RULE_NOTE,
    SECTION_STYLE,
    CountsModel,
    GoalProgress,
    count_columns,
    counts_table,
    fill_months,
    fit_rows,
    month_title,
    section_title,
)
from tambo_desktop.gui.report_charts import ChartPanel, Period
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.indicators import BREAKDOWN_TITLES, DIMENSIONS, Indicators, IndicatorService
from tambo_desktop.services.session import Session

FIRST_YEAR, LAST_YEAR = 2013, 2100
#: Where each breakdown goes: full width (2) or half (1), in this order.
PLACEMENT: tuple[tuple[str, int], ...] = (
    ("month", 2),
    ("entity", 2),
    ("sector", 1),
    ("level", 1),
    ("service", 2),
    ("community", 1),
    ("place_community", 1),
    ("sex", 1),
    ("place", 1),
    ("age_group", 2),
)
#: The most rows a table shows before it scrolls.
MOST_ROWS = 12
#: Added to the rule for a whole year: why the year's usuarios are not the sum of its months'.
YEAR_NOTE = N_(
    "En un año, cada persona cuenta una sola vez como usuario; la meta del año es la suma de las metas de sus meses."
)


class MonthPage(QWidget):
    """«Mes»: pick a month (or a whole year); totals vs goals, the trend chart and every breakdown.
    ``attentions_requested(AttentionFilter)`` when a chart's bar or community is clicked: the list behind it."""

    attentions_requested = Signal(object)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("monthPage")
        self.session = session
        self.service = IndicatorService(session)
        self.result: Indicators | None = None
        today = dates.today()

        self.title = QLabel()
        style_title(self.title)
        self.title.setWordWrap(True)
        self.goals_button = QPushButton()
        self.goals_button.setVisible(session.can("goals.edit"))
        self.goals_button.clicked.connect(self.open_goals)
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.goals_button, 0, Qt.AlignmentFlag.AlignTop)

        # the period: ◀ month year ▶, or the whole year
        self.previous_button = QPushButton()
        self.next_button = QPushButton()
        self.month_label = QLabel()
        self.month_edit = QComboBox()
        self.month_label.setBuddy(self.month_edit)
        self.year_label = QLabel()
        self.year_edit = QSpinBox()
        self.year_edit.setRange(FIRST_YEAR, LAST_YEAR)
        self.year_edit.setGroupSeparatorShown(False)
        self.year_label.setBuddy(self.year_edit)
        self.whole_year = QCheckBox()
        period = QHBoxLayout()
        period.addWidget(self.previous_button)
        period.addWidget(self.month_label)
        period.addWidget(self.month_edit)
        period.addWidget(self.year_label)
        period.addWidget(self.year_edit)
        period.addWidget(self.next_button)
        period.addSpacing(12)
        period.addWidget(self.whole_year)
        period.addStretch(1)

        # totals against the goals
        self.totals_title = QLabel()
        self.totals_title.setWordWrap(True)
        self.totals_title.setStyleSheet(SECTION_STYLE)
        self.totals = QFrame()
        self.totals.setFrameShape(QFrame.Shape.StyledPanel)
        self.attentions_label = QLabel()
        self.users_label = QLabel()
        for label in (self.attentions_label, self.users_label):
            label.setWordWrap(True)
            label.setStyleSheet("font-weight: bold;")
        self.attentions = GoalProgress()
        self.users = GoalProgress()
        self.rule_note = QLabel()
        self.rule_note.setWordWrap(True)
        self.rule_note.setStyleSheet(NOTE_STYLE)
        totals = QGridLayout(self.totals)
        totals.setHorizontalSpacing(18)
        totals.addWidget(self.attentions_label, 0, 0)
        totals.addWidget(self.attentions, 0, 1)
        totals.addWidget(self.users_label, 0, 2)
        totals.addWidget(self.users, 0, 3)
        totals.addWidget(self.rule_note, 1, 0, 1, 4)
        totals.setColumnStretch(1, 1)
        totals.setColumnStretch(3, 1)

        # one table per breakdown, in a scrolling column
        self.boxes: dict[str, QWidget] = {}
        self.titles: dict[str, QLabel] = {}
        self.models: dict[str, CountsModel] = {}
        self.tables: dict[str, QTableView] = {}
        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 0, 6, 0)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        row, column = 0, 0
        for name, span in PLACEMENT:
            box = QWidget()
            title = section_title()
            model = CountsModel(count_columns(name), self)
            if name == "month":  # the months in their order, January first
                model.sort_column, model.sort_order = 0, Qt.SortOrder.AscendingOrder
            table = counts_table(model)
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 6, 0, 6)
            box_layout.addWidget(title)
            box_layout.addWidget(table)
            self.boxes[name], self.titles[name], self.models[name], self.tables[name] = box, title, model, table
            if span == 2 and column == 1:  # a half row left over: the wide table starts a new row
                row, column = row + 1, 0
            grid.addWidget(box, row, column, 1, span, Qt.AlignmentFlag.AlignTop)
            row, column = (row + 1, 0) if span == 2 or column == 1 else (row, 1)
        grid.setRowStretch(row + 1, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)

        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addLayout(period)
        layout.addWidget(self.totals_title)
        layout.addWidget(self.totals)
        # the 12 months against the goals, the entities, the pyramid and the communities, drawn off
        # the GUI thread (issue 18.2); a click opens the atenciones behind it
        self.charts = ChartPanel(session, self, heights=(190, 290))
        self.charts.attentions_requested.connect(self.attentions_requested)
        self.trend_chart = self.charts.trend
        layout.addWidget(self.charts)
        layout.addWidget(self.scroll, 1)

        self.year_edit.setValue(today.year)
        self._loaded = False
        self.retranslate()
        self.month_edit.setCurrentIndex(today.month - 1)
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.month_edit.currentIndexChanged.connect(self.refresh)
        self.year_edit.valueChanged.connect(self.refresh)
        self.whole_year.toggled.connect(self.refresh_in_background)  # a whole year: about a second
        for keys, action in (("Alt+Left", self.previous), ("Alt+Right", self.next)):
            QShortcut(QKeySequence(keys), self, action, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        page_load.first_load(self)  # with the main window: when first shown

    # -- the period -------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.year_edit.value()

    @property
    def month(self) -> int:
        return self.month_edit.currentIndex() + 1

    def set_period(self, year: int, month: int | None = None) -> None:
        """Show ``month`` of ``year``, or the whole year when ``month`` is None."""
        for widget in (self.year_edit, self.month_edit, self.whole_year):
            widget.blockSignals(True)
        self.year_edit.setValue(year)
        if month is not None:
            self.month_edit.setCurrentIndex(month - 1)
        self.whole_year.setChecked(month is None)
        for widget in (self.year_edit, self.month_edit, self.whole_year):
            widget.blockSignals(False)
        self.refresh()

    def previous(self) -> None:
        self._step(-1)

    def next(self) -> None:
        self._step(1)

    def _step(self, delta: int) -> None:
        if self.whole_year.isChecked():
            year = self.year + delta
            if FIRST_YEAR <= year <= LAST_YEAR:
                self.set_period(year)
            return
        index = self.year * 12 + self.month - 1 + delta
        year, month = divmod(index, 12)
        if FIRST_YEAR <= year <= LAST_YEAR:
            self.set_period(year, month + 1)

    # -- data -------------------------------------------------------------------------------------

    def _count(self, year_mode: bool, year: int, month: int) -> Indicators:
        return self.service.year(year) if year_mode else self.service.month(year, month)

    def refresh(self) -> None:
        """Ask the service for the chosen period again (after a save, on a change)."""
        try:
            result = self._count(self.whole_year.isChecked(), self.year, self.month)
        except TamboError as exc:
            report_error(self, exc)
            return
        self._apply(result)

    def refresh_in_background(self) -> None:
        """Count off the GUI thread (when the page is shown: a whole year of a large tambo takes
        a second); the numbers shown so far stay until the new ones arrive."""
        from tambo_desktop.gui.ops import run_in_background

        self._generation = getattr(self, "_generation", 0) + 1
        generation, asked = self._generation, (self.whole_year.isChecked(), self.year, self.month)
        # the charts count apart, at once: they need not wait for the tables' numbers
        self.charts.load(Period(self.year, None if asked[0] else self.month, dates.today()), self.charts.result)

        def done(result: Indicators) -> None:
            same = asked == (self.whole_year.isChecked(), self.year, self.month)
            if generation == self._generation and same:
                self._apply(result)

        self.operation = run_in_background(self, _("Contando las atenciones…"), lambda: self._count(*asked), done)

    def _apply(self, result: Indicators) -> None:
        year_mode = self.whole_year.isChecked()
        self.result = result
        self._loaded = True
        self.attentions.set_values(result.attentions, result.goal_attentions)
        self.users.set_values(result.users, result.goal_users)
        for name, model in self.models.items():
            rows = result.breakdowns.get(name)
            self.boxes[name].setVisible(rows is not None)
            model.set_rows(rows or [])
            fit_rows(self.tables[name], MOST_ROWS, least=1)
        self.month_edit.setEnabled(not year_mode)
        self.month_label.setEnabled(not year_mode)
        self.charts.load(Period(self.year, None if year_mode else self.month, dates.today()), result)
        self._texts()

    def open_goals(self) -> None:
        """The goals of the month shown (administrators); the page recounts after a save."""
        from tambo_desktop.gui.goals_dialog import GoalsDialog

        if GoalsDialog(self.session, self.year, self.month, self).exec():
            self.refresh()

    # -- language ---------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "_loaded"):
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.goals_button.setText(_("&Metas del mes…"))
        self.previous_button.setText(_("◀ A&nterior"))
        self.previous_button.setToolTip(_("Mes o año anterior (Alt+←)"))
        self.next_button.setText(_("&Siguiente ▶"))
        self.next_button.setToolTip(_("Mes o año siguiente (Alt+→)"))
        self.month_label.setText(_("M&es:"))
        self.year_label.setText(_("A&ño:"))
        self.whole_year.setText(_("&Todo el año"))
        fill_months(self.month_edit)
        self.attentions_label.setText(_("Atenciones"))
        self.users_label.setText(_("Usuarios"))
        for name in DIMENSIONS + ("month",):
            if name in self.boxes:
                self.titles[name].setText(_(BREAKDOWN_TITLES[name]))
        for model in self.models.values():
            model.retranslate()
        if self._loaded:  # the groups' labels (services, sexes, …) come from the service
            self.refresh()
        self._texts()

    def _texts(self) -> None:
        year_mode = self.whole_year.isChecked()
        self.rule_note.setText(_(RULE_NOTE) + (" " + _(YEAR_NOTE) if year_mode else ""))
        if year_mode:
            self.title.setText(_("Atenciones y usuarios del año {year}").format(year=self.year))
            self.totals_title.setText(_("Total del año {year} y sus metas").format(year=self.year))
        else:
            period = month_title(self.year, self.month)
            self.title.setText(_("Atenciones y usuarios de {month}").format(month=period))
            self.totals_title.setText(_("Total del mes y sus metas"))
