"""A PIAS's voyage page: where the ship is on the route, the people served at this stop and in the
voyage against the expected, the next stops; plan a voyage, reschedule or skip a stop, print the
itinerary and the report. Counting runs off the GUI thread (``gui/ops``)."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from PySide6.QtCore import QDateTime, QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates
from tambo_desktop.errors import TamboError, ValidationError
from tambo_desktop.gui.keys import one_date_format
from tambo_desktop.gui.widgets import INVALID_STYLE, error_label, report_error, select_data, submitted
from tambo_desktop.i18n import _, format_date, format_number
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.voyages import StopForm, StopRow, VoyageForm, VoyageService, VoyageToday
from tambo_desktop.vocabulary import STOP_STATUSES, label


def _when(value: dt.datetime) -> str:
    return f"{format_date(value.date(), 'weekday_day_month')} {value:%H:%M}"


def fill_stops(combo: QComboBox, session, keep: bool = True) -> None:
    """The desk's stop: the stops of the voyage under way (or the next), the current one chosen by
    the route and the clock; the user's choice is kept while it is still on the list (``keep``)."""
    voyages = VoyageService(session)
    chosen = combo.currentData() if keep and combo.property("touched") else None
    combo.blockSignals(True)
    combo.clear()
    voyage_id = voyages.current_voyage()
    if voyage_id is not None:
        for stop in voyages.get(voyage_id).stops:
            if stop.status != "skipped":
                combo.addItem(
                    f"{stop.position}. {stop.community_name} ({format_date(stop.arrives_at.date(), 'day_month')})",
                    stop.id,
                )
        current = voyages.current_stop(voyage_id)
        select_data(combo, chosen if chosen is not None else (current.id if current else None))
        if chosen is None and current is None:
            combo.setCurrentIndex(-1)
    combo.blockSignals(False)


class _Form(QDialog):
    """A small form dialog: rows of (label, widget), an error line, OK and Cancel."""

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setStyleSheet(INVALID_STYLE)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.work = None  # the service call run on OK

    def _accept(self) -> None:
        try:
            if self.work is not None:
                self.result_value = self.work()
        except ValidationError as exc:
            self.error.setText("\n".join(e.message for e in exc.errors))
            self.error.show()
            return
        except TamboError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()


def _datetime_edit(value: dt.datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(QDateTime(value))
    edit.setCalendarPopup(True)
    one_date_format(edit)
    return edit


class ShipDialog(QDialog):
    """The ship's data: name, Navy code, capacity and the modules aboard (its bookable spaces). A save
    another PC made meanwhile is shown beside the user's, as in the other forms."""

    def __init__(self, session, parent=None) -> None:
        from tambo_desktop.services.pias import ShipService
        from tambo_desktop.vocabulary import SHIP_MODULES, label

        super().__init__(parent)
        self.setObjectName("shipDialog")
        self.setWindowTitle(_("El barco de la PIAS"))
        self.setStyleSheet(INVALID_STYLE)
        self.service = ShipService(session)
        self.saved = False
        self.error = error_label()
        self.name, self.navy_code, self.capacity = (
            QLineEdit(maxLength=120),
            QLineEdit(maxLength=30),
            QLineEdit(maxLength=5),
        )
        self.name.setObjectName("shipName")
        self.navy_code.setObjectName("navyCode")
        self.capacity.setObjectName("capacity")
        self.modules = {code: QCheckBox(label(SHIP_MODULES, code)) for code in SHIP_MODULES}
        for code, box in self.modules.items():
            box.setObjectName(f"module_{code}")
        self.labels = {"ship_name": QLabel(_("&Nombre del barco:")), "navy_code": QLabel(_("Código de la &Marina:")),
                       "capacity": QLabel(_("&Capacidad (personas):")), "modules": QLabel(_("Módulos a bordo:"))}  # fmt: skip
        first_module = next(iter(self.modules.values()))
        self.fields = {
            "ship_name": self.name,
            "navy_code": self.navy_code,
            "capacity": self.capacity,
            "modules": first_module,
        }
        form = QFormLayout()
        form.addRow(self.error)
        for key in ("ship_name", "navy_code", "capacity"):
            self.labels[key].setBuddy(self.fields[key])
            form.addRow(self.labels[key], self.fields[key])
        form.addRow(self.labels["modules"])
        for box in self.modules.values():
            form.addRow("", box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        """Show the ship as it is saved (also after another PC saved it)."""
        from tambo_desktop.services.pias import ship_info

        ship = ship_info()
        self.version, self.on_top = (ship.version if ship else None), False
        self.name.setText(ship.name if ship else "")
        self.navy_code.setText(ship.navy_code if ship else "")
        self.capacity.setText("" if ship is None or ship.capacity is None else str(ship.capacity))
        for code, box in self.modules.items():
            box.setChecked(bool(ship) and code in ship.modules)

    def _save(self) -> None:
        from tambo_desktop.services.pias import ShipForm

        modules = tuple(code for code, box in self.modules.items() if box.isChecked())
        form = ShipForm(self.name.text(), self.navy_code.text(), self.capacity.text(), modules, version=self.version,
                        on_top=self.on_top)  # fmt: skip
        if submitted(self, lambda: self.service.update(form), self.error, self.fields, self.labels, versioned=self):
            self.saved = True
            self.accept()


class VoyagePage(QWidget):
    """The voyage under way (or chosen): its route, the ship's place and the people served."""

    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("voyagePage")
        self.session = session
        self.voyages = VoyageService(session)
        self.data: VoyageToday | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.voyage_label = QLabel()
        self.voyage = QComboBox()
        self.voyage_label.setBuddy(self.voyage)
        self.voyage.activated.connect(lambda _i: self.refresh_in_background())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setObjectName("voyageSummary")
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("voyageStops")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        # a two-line title is measured line by line but elided as one line: never elide these titles
        self.table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideNone)
        self.buttons = {
            name: QPushButton()
            for name in (
                "new",
                "stop",
                "reschedule",
                "skip",
                "announce",
                "itinerary",
                "ics",
                "report",
                "entities",
                "history",
                "ship",
                "refresh",
            )
        }
        editing = session.can("voyages.edit")
        for name in ("new", "stop", "reschedule", "skip", "announce", "entities"):
            self.buttons[name].setVisible(editing)
        self.buttons["ship"].setVisible(session.can("tambo.edit"))
        self.buttons["ship"].clicked.connect(self.edit_ship)
        self.buttons["announce"].clicked.connect(self.announce)
        self.buttons["new"].clicked.connect(self.new_voyage)
        self.buttons["stop"].clicked.connect(self.add_stop)
        self.buttons["reschedule"].clicked.connect(self.reschedule)
        self.buttons["skip"].clicked.connect(self.skip)
        self.buttons["itinerary"].clicked.connect(lambda: self.export("itinerary", "pdf"))
        self.buttons["ics"].clicked.connect(lambda: self.export("itinerary", "ics"))
        self.buttons["report"].clicked.connect(lambda: self.export("report", "pdf"))
        self.buttons["refresh"].clicked.connect(self.refresh_in_background)
        self.buttons["entities"].clicked.connect(self.edit_entities)
        self.buttons["history"].clicked.connect(self.show_history)
        # the voyage's name can be long: the combo shrinks (with the whole name in its list), never the page
        self.voyage.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.voyage.setMinimumContentsLength(16)
        # the chooser on its row, then the voyage's, the route's and the documents' buttons: each row fits
        # the 800 pixels beside the navigation on a 1024-pixel screen in every language (one row of
        # seven route buttons was 1,050 pixels wide in Aymara)
        top = QHBoxLayout()
        top.addWidget(self.voyage_label)
        top.addWidget(self.voyage, 1)
        rows = (
            ("new", "entities", "history", "ship", "refresh"),
            ("stop", "reschedule", "skip", "announce"),
            ("itinerary", "ics", "report"),
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        for names in rows[:1]:
            layout.addLayout(self._button_row(names))
        layout.addWidget(self.summary)
        for names in rows[1:]:
            layout.addLayout(self._button_row(names))
        layout.addWidget(self.table, 1)
        self.retranslate()
        self.refresh()

    def _button_row(self, names: tuple[str, ...]) -> QHBoxLayout:
        row = QHBoxLayout()
        for name in names:
            row.addWidget(self.buttons[name])
        row.addStretch(1)
        return row

    # -- data -------------------------------------------------------------------------------------

    def _gather(self, voyage_id: int | None) -> VoyageToday:
        return self.voyages.today(voyage_id)

    def selected_voyage(self) -> int | None:
        return self.voyage.currentData()

    def refresh(self) -> None:
        try:
            self._apply(self._gather(self.selected_voyage()))
        except TamboError as exc:
            report_error(self, exc)

    def refresh_in_background(self) -> None:
        """Recount off the GUI thread; what is shown stays until the new numbers arrive."""
        from tambo_desktop.gui.ops import run_in_background

        self._generation = getattr(self, "_generation", 0) + 1
        generation, voyage_id = self._generation, self.selected_voyage()

        def done(data: VoyageToday) -> None:
            if generation == self._generation:
                self._apply(data)

        self.operation = run_in_background(self, "", lambda: self._gather(voyage_id), done, quiet=True)

    def _apply(self, data: VoyageToday) -> None:
        self.data = data
        self.voyage.blockSignals(True)
        self.voyage.clear()
        for row in data.voyages:
            start = format_date(row.starts_at.date(), "short") if row.starts_at else "—"
            self.voyage.addItem(f"{row.name} · {start}", row.id)
        select_data(self.voyage, data.voyage.id if data.voyage else None)
        self.voyage.blockSignals(False)
        has = data.voyage is not None
        for name in ("stop", "reschedule", "skip", "announce", "itinerary", "ics", "report", "entities", "history"):
            self.buttons[name].setEnabled(has)
        self.summary.setText(self._summary_html(data))
        self._fill_table(data)

    def _summary_html(self, data: VoyageToday) -> str:
        voyage = data.voyage
        if voyage is None:
            return escape(_("Todavía no hay travesías. Programe la primera con «Nueva travesía…»."))
        lines = []
        current = data.current
        total = len(voyage.stops)
        if current is not None:
            where = _("La PIAS está en <b>{stop}</b> (parada {n} de {total}) hasta el {until}.").format(
                stop=escape(current.community_name),
                n=current.position,
                total=total,
                until=escape(_when(current.departs_at)),
            )
            served = data.served.get(current.id, (0, 0))
            lines.append(where)
            expected = current.expected_people
            lines.append(escape(_("En esta parada: atenciones {attentions}; personas {users} de {expected} esperadas.").format(
                attentions=format_number(served[0]), users=format_number(served[1]),
                expected=format_number(expected) if expected is not None else "—")))  # fmt: skip
        elif voyage.starts_at and data.at < voyage.starts_at:
            lines.append(escape(_("La travesía empieza el {start}.").format(start=_when(voyage.starts_at))))
        elif voyage.ends_at and data.at > voyage.ends_at:
            lines.append(escape(_("La travesía terminó el {end}.").format(end=_when(voyage.ends_at))))
        else:
            lines.append(escape(_("La PIAS navega entre dos paradas.")))
        lines.append(escape(_("En toda la travesía: atenciones {attentions}; personas {users} de {expected} esperadas.").format(
            attentions=format_number(data.voyage_attentions), users=format_number(data.voyage_users),
            expected=format_number(voyage.expected_people))))  # fmt: skip
        if data.next_stops:
            coming = "; ".join(f"{s.community_name} ({_when(s.arrives_at)})" for s in data.next_stops)
            lines.append(escape(_("Próximas paradas: {stops}").format(stops=coming)))
        return "<br/>".join(lines)

    def _fill_table(self, data: VoyageToday) -> None:
        stops = data.voyage.stops if data.voyage else []
        self.table.setRowCount(len(stops))
        current = data.current.id if data.current else None
        for row, stop in enumerate(stops):
            served = data.served.get(stop.id)
            cells = [
                str(stop.position), stop.community_name, _when(stop.arrives_at), _when(stop.departs_at),
                "" if stop.expected_people is None else format_number(stop.expected_people),
                f"{format_number(served[0])} / {format_number(served[1])}" if served else "",
                label(STOP_STATUSES, stop.status) + (f": {stop.reason}" if stop.reason else ""),
            ]  # fmt: skip
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, stop.id)
                if stop.id == current:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)

    def selected_stop(self) -> StopRow | None:
        row = self.table.currentRow()
        if self.data is None or self.data.voyage is None or row < 0 or row >= len(self.data.voyage.stops):
            return None
        return self.data.voyage.stops[row]

    # -- actions ----------------------------------------------------------------------------------

    def new_voyage(self) -> None:
        dialog = _Form(_("Nueva travesía"), self)
        name, basin, fuel = QLineEdit(), QLineEdit(), QLineEdit()
        supplies = QLineEdit()
        for text, widget in ((_("&Nombre:"), name), (_("&Cuenca, río o lago:"), basin),
                             (_("&Combustible previsto (galones):"), fuel), (_("&Abastecimiento:"), supplies)):  # fmt: skip
            dialog.form.addRow(text, widget)
        dialog.work = lambda: self.voyages.create(
            VoyageForm(name.text(), basin.text(), fuel.text(), supplies=supplies.text())
        )
        if dialog.exec():
            self.voyage.addItem(name.text(), dialog.result_value)
            select_data(self.voyage, dialog.result_value)
            self.refresh()

    def add_stop(self) -> None:
        voyage_id = self.selected_voyage()
        if voyage_id is None:
            return
        dialog = _Form(_("Añadir una parada"), self)
        community = QComboBox()
        community.setEditable(True)
        community.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for c in CommunityService(self.session).list():
            community.addItem(c.name, c.id)
        stops = self.data.voyage.stops if self.data and self.data.voyage else []
        start = (
            stops[-1].departs_at + dt.timedelta(hours=15)
            if stops
            else dt.datetime.combine(dates.today() + dt.timedelta(days=7), dt.time(8, 30))
        )
        arrive, depart = _datetime_edit(start), _datetime_edit(start + dt.timedelta(hours=8))
        km, hours, expected = QLineEdit(), QLineEdit(), QLineEdit()
        for text, widget in ((_("&Comunidad:"), community), (_("&Llegada:"), arrive), (_("&Salida:"), depart),
                             (_("&Distancia desde la anterior (km):"), km), (_("&Horas de navegación:"), hours),
                             (_("&Personas esperadas:"), expected)):  # fmt: skip
            dialog.form.addRow(text, widget)

        def work():
            chosen = (
                community.currentData()
                if community.currentText() == community.itemText(community.currentIndex())
                else None
            )
            return self.voyages.add_stop(voyage_id, StopForm(chosen, arrive.dateTime().toPython(), depart.dateTime().toPython(),
                                                             km.text(), hours.text(), expected.text()))  # fmt: skip

        dialog.work = work
        if dialog.exec():
            self.refresh()

    def reschedule(self) -> None:
        stop = self.selected_stop()
        if stop is None:
            report_error(self, TamboError(_("Elija una parada de la lista.")))
            return
        dialog = _Form(_("Reprogramar la parada {stop}").format(stop=stop.community_name), self)
        arrive, depart = _datetime_edit(stop.arrives_at), _datetime_edit(stop.departs_at)
        reason = QLineEdit()
        reason.setObjectName("reason")
        shift = QCheckBox(_("Correr también el resto de la ruta"))
        shift.setChecked(True)
        for text, widget in ((_("&Llegada:"), arrive), (_("&Salida:"), depart), (_("&Motivo:"), reason)):
            dialog.form.addRow(text, widget)
        dialog.form.addRow("", shift)
        dialog.work = lambda: self.voyages.reschedule(
            stop.id, arrive.dateTime().toPython(), depart.dateTime().toPython(), reason.text(), shift.isChecked()
        )
        if dialog.exec():
            self.refresh()

    def skip(self) -> None:
        stop = self.selected_stop()
        if stop is None:
            report_error(self, TamboError(_("Elija una parada de la lista.")))
            return
        reason, ok = QInputDialog.getText(
            self, _("No se llegará a {stop}").format(stop=stop.community_name), _("Motivo:")
        )
        if not ok:
            return
        try:
            self.voyages.skip(stop.id, reason)
        except TamboError as exc:
            report_error(self, exc)
            return
        self.refresh()

    def edit_entities(self) -> None:
        """The entities aboard the chosen voyage, their staff and services (in the itinerary and the report)."""
        from tambo_desktop.gui.voyage_dialogs import EntitiesDialog

        voyage_id = self.selected_voyage()
        if voyage_id is None:
            return
        self.entities_dialog = EntitiesDialog(self.session, voyage_id, self)
        if self.entities_dialog.exec():
            self.refresh_in_background()

    def show_history(self) -> None:
        """Every change to the chosen voyage's route, with who, when and why."""
        from tambo_desktop.gui.voyage_dialogs import HistoryDialog

        voyage_id = self.selected_voyage()
        if voyage_id is None:
            return
        self.history_dialog = HistoryDialog(self.session, voyage_id, self)
        self.history_dialog.exec()

    def edit_ship(self) -> None:
        dialog = ShipDialog(self.session, self)
        dialog.exec()

    def announce(self) -> None:
        """Announce the chosen stop with a campaign (made once); say in which languages it is printed,
        and why only in Spanish when the community's language has no phrases."""
        from tambo_desktop.services.voyages_campaigns import StopAnnouncementService
        from tambo_desktop.vocabulary import SPOKEN_LANGUAGES

        stop = self.selected_stop()
        if stop is None:
            report_error(self, TamboError(_("Elija una parada de la lista.")))
            return
        announcer = StopAnnouncementService(self.session)
        try:
            campaign = announcer.announce(stop.id)
            language, notice = announcer.language(stop.id)
        except TamboError as exc:
            report_error(self, exc)
            return
        lines = [_("Campaña {id} para la parada {n} ({community}): sus volantes, oficios y guion de radio están en la página Campañas.").format(
            id=campaign, n=stop.position, community=stop.community_name)]  # fmt: skip
        if language:
            lines.append(
                _("Se imprimen en castellano y {language}.").format(language=label(SPOKEN_LANGUAGES, language))
            )
        if notice:
            lines.append(notice)
        self.announced = "\n".join(lines)
        QMessageBox.information(self, _("Anunciar parada"), self.announced)

    def export(self, what: str, fmt: str, path: str | None = None) -> None:
        """Print the itinerary (PDF), export it (.ics) or write the voyage report (PDF or XLSX, by the file's
        extension), off the GUI thread."""
        from tambo_desktop.gui.ops import run_in_background

        voyage_id = self.selected_voyage()
        if voyage_id is None:
            return
        chosen = ""
        if path is None:
            suggested = str(Path.home() / (f"itinerario.{fmt}" if what == "itinerary" else f"informe-travesia.{fmt}"))
            if what == "report":  # the report as PDF or XLSX, by the file's extension
                pattern = _("Documento PDF (*.pdf);;Excel (*.xlsx)")
            else:
                pattern = _("Calendario iCalendar (*.ics)") if fmt == "ics" else _("PDF (*.pdf)")
            path, chosen = QFileDialog.getSaveFileName(self, _("Guardar como"), suggested, pattern)
        if not path:
            return
        target = Path(path)
        if what == "report":
            suffix = target.suffix.lower()
            fmt = "xlsx" if suffix == ".xlsx" or (suffix != ".pdf" and "xlsx" in chosen) else "pdf"
            if suffix not in (".pdf", ".xlsx"):
                target = target.with_name(target.name + f".{fmt}")
            from tambo_desktop.services.voyages_report import VoyageReportService

            report = VoyageReportService(self.session)
            work = lambda: report.export(voyage_id, target, fmt)  # noqa: E731
        elif fmt == "ics":
            work = lambda: self.voyages.export_ics(voyage_id, target)  # noqa: E731
        else:
            work = lambda: self.voyages.export_itinerary_pdf(voyage_id, target)  # noqa: E731
        self.operation = run_in_background(self, _("Preparando el documento…"), work,
                                           lambda _n: self.status_saved(target))  # fmt: skip

    def status_saved(self, path: Path) -> None:
        self.summary.setText(self.summary.text() + "<br/>" + escape(_("Guardado en {path}.").format(path=path)))

    # -- language ---------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(_("Travesía"))
        self.voyage_label.setText(_("&Travesía:"))
        texts = {
            "new": _("&Nueva travesía…"), "stop": _("Añadir &parada…"), "reschedule": _("&Reprogramar parada…"),
            "skip": _("&Omitir parada…"), "announce": _("&Anunciar parada…"), "ship": _("&Barco…"), "itinerary": _("&Imprimir itinerario…"), "ics": _("Exportar a &calendario…"),
            "report": _("In&forme de la travesía…"), "refresh": _("Actuali&zar"),
            "entities": _("&Entidades a bordo…"), "history": _("&Historial…"),
        }  # fmt: skip
        for name, text in texts.items():
            self.buttons[name].setText(text)
        # "Atenciones /" over "usuarios": the long title on two lines keeps the route within 1024 pixels
        titles = [_("N.º"), _("Centro poblado"), _("Llegada"), _("Salida"), _("Esperadas"),
                  _("Atenciones / usuarios").replace(" / ", " /\n"), _("Estado")]  # fmt: skip
        self.table.setHorizontalHeaderLabels(titles)
        if self.data is not None:
            self._apply(self.data)
