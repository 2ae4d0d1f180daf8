"""The Today page ("Hoy"): atenciones and usuarios today and this month against the month's goals,
and the month's charts (``gui/report_charts.ChartPanel``: a click opens the atenciones behind it).

Every number comes from :mod:`tambo_desktop.services.indicators` (the one place of the
counting rule); the page only formats it with the widgets of :mod:`tambo_desktop.gui.indicators`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui import page_load
from tambo_desktop.gui.comfort import style_title
from tambo_desktop.gui.indicators import (
    NOTE_STYLE,
    RULE_NOTE,
    CountsModel,
    GoalProgress,
    count_columns,
    counts_table,
    day_indicators,
    month_title,
    number,
    section_title,
)
from tambo_desktop.gui.report_charts import ChartPanel, Period
from tambo_desktop.gui.screen_fit import BoundedText
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import report_error
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.attentions import AttentionFilter, AttentionRow, AttentionService
from tambo_desktop.services.indicators import Indicators, IndicatorService
from tambo_desktop.services.session import Session

#: How many of today's last atenciones the page lists.
LAST_SERVED = 15


# -- the page ---------------------------------------------------------------------------------------


LAST_COLUMNS = (
    Column(N_("Hora"), lambda r: i18n.format_datetime(r.attended_at, "time")),
    Column(N_("Persona"), lambda r: r.person_name),
    Column(N_("Servicio"), lambda r: r.service_name),
    Column(N_("Entidad"), lambda r: r.entity_code),
)


@dataclass(frozen=True)
class _AlertData:
    """What the Today page's alerts show, read on the worker thread with the numbers."""

    interventions: list
    expiring: list
    stale: list
    stale_days: int
    reminders: list


class TodayPage(QWidget):
    """«Hoy»: today's and this month's atenciones and usuarios against the month's goals, and the
    month's charts. ``attentions_requested(AttentionFilter)`` when a chart is clicked."""

    attentions_requested = Signal(object)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("todayPage")
        self.session = session
        self.indicators = IndicatorService(session)
        self.attentions = AttentionService(session)
        self.day: dt.date = dates.today()
        self.today: Indicators | None = None
        self.month: Indicators | None = None
        self.last: list[AttentionRow] = []

        self.title = QLabel()
        style_title(self.title)
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
        # the month's charts above the lists (issue 18.2), drawn off the GUI thread
        self.charts = ChartPanel(session, self)
        self.charts.attentions_requested.connect(self.attentions_requested)
        splitter.insertWidget(0, self.charts)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)

        self.alerts = QLabel(objectName="alertsLabel", wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.alerts.setStyleSheet("background: #fff4e5; border: 1px solid #f0b46a; border-radius: 4px; padding: 6px;")
        # However many alerts a day has, they take at most seven lines and scroll inside
        self.alerts_box = BoundedText(self.alerts, lines=7)
        self.alerts_box.setObjectName("alertsBox")
        self.alerts_box.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.alerts_box)
        layout.addWidget(self.summary)
        layout.addWidget(self.rule_note)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.goals_button, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.entity_table)
        self.setTabOrder(self.entity_table, self.last_table)
        self._loaded = False
        self.retranslate()
        page_load.first_load(self)  # with the main window: when first shown

    # -- data -------------------------------------------------------------------------------------

    def _count(self, day: dt.date) -> tuple[dt.date, Indicators, Indicators, list[AttentionRow], _AlertData]:
        """Today's and this month's numbers, the last atenciones and what the alerts say (safe on a
        worker thread: the alerts' queries took ~0.9 s of the GUI thread on the large demo)."""
        today = day_indicators(self.session, day)
        month = self.indicators.month(day.year, day.month)
        last = self.attentions.list(
            AttentionFilter(date_from=day, date_to=day, include_voided=False), limit=LAST_SERVED
        ).rows
        return day, today, month, list(last), self._alert_data(day)

    def _apply(self, counted: tuple[dt.date, Indicators, Indicators, list[AttentionRow], _AlertData]) -> None:
        self.day, self.today, self.month, self.last, alerts = counted
        self._loaded = True
        self._show()
        self._alerts(alerts)

    def refresh(self) -> None:
        """Recount today and this month now (after a save at the desk, while the page is shown)."""
        try:
            counted = self._count(dates.today())
        except TamboError as exc:
            report_error(self, exc)
            return
        self._apply(counted)

    def refresh_in_background(self) -> None:
        """Recount off the GUI thread (when the page is shown: a month of a large tambo takes a
        while); the numbers shown so far stay until the new ones arrive."""
        from tambo_desktop.gui.ops import run_in_background

        self._generation = getattr(self, "_generation", 0) + 1
        generation, day = self._generation, dates.today()
        # the charts count apart, at once: they need not wait for the day's numbers
        self.charts.load(Period(day.year, day.month, day), self.month if self.day == day else None)

        def done(counted) -> None:
            if generation == self._generation:  # a newer count was asked for meanwhile
                self._apply(counted)

        self.operation = run_in_background(self, "", lambda: self._count(day), done, quiet=True)

    def _alert_data(self, day: dt.date) -> _AlertData:
        """What the alerts say, read from the services (safe on a worker thread)."""
        from tambo_desktop.services.campaigns import CampaignService
        from tambo_desktop.services.diagnostics import DiagnosticService
        from tambo_desktop.services.interventions import InterventionFilter, InterventionService
        from tambo_desktop.services.settings import stale_days
        from tambo_desktop.services.training import TrainingService

        try:
            today = InterventionService(self.session).list(InterventionFilter(day, day))
            expiring = TrainingService(self.session).expiring(day)
        except TamboError:
            today, expiring = [], []
        try:
            stale = DiagnosticService(self.session).stale(day)
        except TamboError:
            stale = []
        try:
            reminders = CampaignService(self.session).reminders(day)
        except TamboError:
            reminders = []
        return _AlertData(list(today), list(expiring), list(stale), stale_days(), list(reminders))

    def _alerts(self, data: _AlertData) -> None:
        """Today's interventions and the certifications that expire within 60 days."""
        from html import escape

        lines = []
        today, expiring = data.interventions, data.expiring
        active = [r for r in today if r.status in ("programmed", "rescheduled")]
        if active:
            items = "; ".join(escape(f"{r.starts_at:%H:%M} {r.entity_label} — {r.title} ({r.where})") for r in active)
            lines.append("<b>" + escape(_("Hoy en el calendario:")) + "</b> " + items)
        for row in expiring:
            when = i18n.format_date(row.valid_until, "short")
            if row.days_left < 0:
                text = _("{name}: «{certification}» venció el {date}.")
            else:
                text = _("{name}: «{certification}» vence el {date} (en {days} días).")
            line = escape(text.format(name=row.name, certification=row.certification, date=when, days=row.days_left))
            lines.append(("⚠ " if row.days_left < 0 else "") + line)
        if expiring:
            index = len(lines) - len(expiring)
            lines.insert(index, "<b>" + escape(_("Certificaciones por vencer (60 días):")) + "</b>")
        stale = data.stale
        if stale:
            names = ", ".join(
                f"{r.community} ({r.days})"
                if r.days is not None
                else _("{community} (nunca)").format(community=r.community)
                for r in stale[:12]
            )
            more = len(stale) - 12
            text = _("Sin visita hace más de {days} días:").format(days=data.stale_days)
            lines.append("<b>" + escape(text) + "</b> " + escape(names) + (f" … +{more}" if more > 0 else ""))
        self._reminders = data.reminders
        lines += self._campaign_lines()
        self.alerts.setText("<br>".join(lines))
        self.alerts_box.setVisible(bool(lines))
        self.alerts_box.updateGeometry()

    def _campaign_lines(self) -> list[str]:
        """Campaigns to push at 14 and 7 days before their intervention, and interventions nobody
        announces (the reminders read with the numbers, on the worker thread)."""
        from html import escape

        reminders = getattr(self, "_reminders", [])
        lines = []
        for r in reminders:
            day = i18n.format_date(r.day, "day_month")
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
        self.charts.load(Period(self.day.year, self.day.month, self.day), month)
        self._texts()

    def open_goals(self) -> None:
        """The month's goals (administrators); the page recounts after a save."""
        from tambo_desktop.gui.goals_dialog import GoalsDialog

        day = dates.today()
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
