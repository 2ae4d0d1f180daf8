"""Campaigns: the list, and for the chosen one its data, checklist, documents (previewed before
printing), letters to tick on delivery, radio script and the people reached."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tambo_desktop import dates, i18n
from tambo_desktop.errors import TamboError
from tambo_desktop.gui import page_load
from tambo_desktop.gui.keys import DateEdit
from tambo_desktop.gui.table_model import Column, RowsModel
from tambo_desktop.gui.widgets import error_label, fill_combo, is_field, read_only, report_error, select_data, submitted
from tambo_desktop.i18n import N_, _
from tambo_desktop.services.campaigns import DOCUMENT_KINDS, CampaignForm, CampaignService
from tambo_desktop.services.communities import CommunityService
from tambo_desktop.services.letters import LetterService
from tambo_desktop.services.radio import RadioService, timing_note
from tambo_desktop.vocabulary import (
    BRING_ITEMS,
    CAMPAIGN_CHANNELS,
    CAMPAIGN_LAYOUTS,
    FLYER_TEMPLATES,
    LEADER_ROLES,
    SPOKEN_LANGUAGES,
    label,
)

LIST_COLUMNS = (
    Column(N_("Campaña"), lambda c: c.title),
    Column(N_("Intervención"), lambda c: i18n.format_date(c.first_day, "short") if c.first_day else ""),
    Column(N_("Desde"), lambda c: i18n.format_date(c.starts_on, "short")),
    Column(N_("Tareas"), lambda c: c.progress, align_right=True),
)


def _document_detail(options: dict) -> str:
    """The format and languages a document was made in, as the user named them."""
    parts = [label(FLYER_TEMPLATES, options["template"])] if "template" in options else []
    if options.get("languages"):
        parts.append(" + ".join(label(SPOKEN_LANGUAGES, code) for code in options["languages"]))
    return " · ".join(parts)


DOCUMENT_COLUMNS = (
    Column(N_("Fecha"), lambda d: i18n.format_datetime(d.at, "short")),
    Column(N_("Documento"), lambda d: _(DOCUMENT_KINDS.get(d.kind, d.kind))),
    Column(N_("Detalle"), lambda d: _document_detail(d.options)),
    Column(N_("Páginas"), lambda d: d.pages, align_right=True),
    Column(N_("Por"), lambda d: d.username),
)  # fmt: skip
REACH_COLUMNS = (
    Column(
        N_("Intervención"),
        lambda r: (
            f"{i18n.format_date(r.intervention.starts_at.date(), 'day_month')} "
            f"{r.intervention.entity_label} — {r.intervention.title}"
        ),
    ),  # fmt: skip
    Column(N_("Esperados"), lambda r: "" if r.expected is None else r.expected, align_right=True),
    Column(N_("Atenciones"), lambda r: r.attentions, align_right=True),
    Column(N_("Usuarios"), lambda r: r.users, align_right=True),
)


def _check_list(items: list[tuple[object, str]], checked: set) -> QListWidget:
    widget = QListWidget()
    _fill_checks(widget, items, checked)
    return widget


def _fill_campaign_languages(combo: QComboBox) -> None:
    """Quechua, Aymara, the languages a translator added phrases for (``phrases.py``), and Spanish only."""
    from tambo_desktop import phrases

    current = combo.currentData()
    fill_combo(combo, {code: SPOKEN_LANGUAGES[code] for code in phrases.printable_languages()})
    combo.addItem(_("Solo castellano"), "")
    select_data(combo, current if current is not None else "qu")


def _fill_checks(widget: QListWidget, items: list[tuple[object, str]], checked: set) -> None:
    widget.clear()
    for data, text in items:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if data in checked else Qt.CheckState.Unchecked)
        widget.addItem(item)


def _checked(widget: QListWidget) -> list:
    return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]  # fmt: skip


class CampaignsPage(QWidget):
    def __init__(self, session, parent=None) -> None:
        super().__init__(parent)
        self.version: int | None = None  # of the campaign shown (None: a new one)
        self.on_top = False  # the user chose to apply theirs on top of another PC's save
        self.setObjectName("campaignsPage")
        self.session = session
        self.service = CampaignService(session)
        self.letters = LetterService(session)
        self.radio = RadioService(session)
        self.campaign_id: int | None = None
        self.workdir = Path(tempfile.mkdtemp(prefix="tambo-docs-"))
        self.can_edit = session.can("campaigns.edit")
        # the list
        self.search = QLineEdit(objectName="campaignSearch", clearButtonEnabled=True)
        self.list_model = RowsModel(LIST_COLUMNS, self)
        self.table = QTableView(objectName="campaignsTable")
        self.table.setModel(self.list_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.new_button, self.delete_button = QPushButton(objectName="newCampaign"), QPushButton()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.delete_button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.table)
        self.tabs = QTabWidget(objectName="campaignTabs")
        self._build_data_tab()
        self._build_tasks_tab()
        self._build_documents_tab()
        self._build_letters_tab()
        self._build_radio_tab()
        self._build_reach_tab()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.search.textChanged.connect(self.refresh)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._selected_changed())
        self.new_button.clicked.connect(self.new_campaign)
        self.delete_button.clicked.connect(self._delete)
        for b in (self.new_button, self.delete_button, self.save_button):
            b.setEnabled(self.can_edit)
        if not self.can_edit:  # a read-only role sees read-only fields (before, it could type into them)
            read_only([w for w in self.tabs.findChildren(QWidget) if is_field(w)])
        self.retranslate()
        page_load.first_load(self)  # with the main window: when first shown

    # -- building -------------------------------------------------------------------------------

    def _build_data_tab(self) -> None:
        page = QWidget()
        self.title_es, self.title_local = QLineEdit(objectName="titleEs"), QLineEdit(objectName="titleLocal")
        self.title_es.setMaxLength(120)
        self.title_local.setMaxLength(120)
        self.language = QComboBox(objectName="campaignLanguage")
        self.layout_combo = QComboBox(objectName="campaignLayout")
        self.message_es, self.message_local = (
            QPlainTextEdit(objectName="messageEs"),
            QPlainTextEdit(objectName="messageLocal"),
        )
        for edit in (self.message_es, self.message_local):
            edit.setMaximumHeight(70)
            edit.setTabChangesFocus(True)
        self.starts_on = DateEdit(calendarPopup=True, objectName="campaignStart")
        self.starts_auto = QCheckBox(objectName="startsAuto")
        self.starts_auto.toggled.connect(lambda on: self.starts_on.setEnabled(not on))
        self.channels = _check_list([], set())
        self.bring = _check_list([], set())
        self.interventions = _check_list([], set())
        self.interventions.setObjectName("campaignInterventions")
        self.communities = _check_list([], set())
        self.communities.setObjectName("campaignCommunities")
        for widget in (self.channels, self.bring, self.interventions, self.communities):
            widget.setMinimumHeight(60)
        self.photo_label = QLabel(objectName="photoLabel")
        self.photo_button, self.photo_clear = QPushButton(), QPushButton()
        self.photo_button.clicked.connect(lambda: self.choose_photo())
        self.photo_clear.clicked.connect(lambda: self.set_photo(None))
        self.save_button = QPushButton(objectName="saveCampaign")
        self.save_button.clicked.connect(self.save)
        self.errors = error_label()
        self.labels = {name: QLabel() for name in ("title_es", "title_local", "local_language", "layout", "message_es",
                       "message_local", "starts_on", "channels", "bring", "interventions", "communities", "photo")}  # fmt: skip
        self.fields = {"title_es": self.title_es, "title_local": self.title_local, "local_language": self.language,
                       "layout": self.layout_combo, "starts_on": self.starts_on, "interventions": self.interventions,
                       "communities": self.communities}  # fmt: skip
        left = QFormLayout()
        # labels above their fields: beside them (wrapping only long rows) the fields were left a
        # few letters wide at 175 % text on 1024 px, and «Lengua de las comunidades» stood far above
        # its list (seen in the real-window tour, es/qu/ay)
        left.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for name, widget in (("title_es", self.title_es), ("local_language", self.language),
                             ("title_local", self.title_local), ("message_es", self.message_es),
                             ("message_local", self.message_local), ("layout", self.layout_combo)):  # fmt: skip
            left.addRow(self.labels[name], widget)
            self.labels[name].setBuddy(widget)
        # the date, and under it the tick for «14 days before» (beside the date, as wide as dd/MM/yyyy
        # needs, the tick's words were cut at 1024 px)
        start = QVBoxLayout()
        start.setSpacing(2)
        start.addWidget(self.starts_on)
        start.addWidget(self.starts_auto)
        left.addRow(self.labels["starts_on"], start)
        photo = QHBoxLayout()
        photo.addWidget(self.photo_label, 1)
        photo.addWidget(self.photo_button)
        photo.addWidget(self.photo_clear)
        left.addRow(self.labels["photo"], photo)
        right = QVBoxLayout()
        for name, widget in (("interventions", self.interventions), ("communities", self.communities),
                             ("channels", self.channels), ("bring", self.bring)):  # fmt: skip
            right.addWidget(self.labels[name])
            right.addWidget(widget, 1)
            self.labels[name].setBuddy(widget)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.errors)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)
        self.data_tab = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)  # small screens scroll
        self.data_tab.setWidget(page)
        self.tabs.addTab(self.data_tab, "")

    def _build_tasks_tab(self) -> None:
        page = QWidget()
        self.task_list = QListWidget(objectName="taskList")
        self.task_list.itemChanged.connect(self._task_ticked)
        self.new_task = QLineEdit(objectName="newTask")
        self.add_task_button, self.remove_task_button = QPushButton(), QPushButton()
        self.new_task.returnPressed.connect(self.add_task)
        self.add_task_button.clicked.connect(self.add_task)
        self.remove_task_button.clicked.connect(self.remove_task)
        row = QHBoxLayout()
        row.addWidget(self.new_task, 1)
        row.addWidget(self.add_task_button)
        row.addWidget(self.remove_task_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.task_list, 1)
        layout.addLayout(row)
        self.tabs.addTab(page, "")

    def _build_documents_tab(self) -> None:
        page = QWidget()
        self.template = QComboBox(objectName="flyerTemplate")
        self.doc_languages = QComboBox(objectName="flyerLanguages")
        self.grey = QCheckBox(objectName="flyerGrey", checked=True)
        self.flyer_button, self.letters_button = (
            QPushButton(objectName="flyerButton"),
            QPushButton(objectName="lettersButton"),
        )
        self.delivery_button, self.radio_button = QPushButton(), QPushButton(objectName="radioButton")
        self.again_button = QPushButton(objectName="againButton")
        self.documents_model = RowsModel(DOCUMENT_COLUMNS, self)
        self.documents = QTableView(objectName="documentsTable")
        self.documents.setModel(self.documents_model)
        self.documents.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.documents.verticalHeader().hide()
        self.documents.horizontalHeader().setStretchLastSection(True)
        self.documents.doubleClicked.connect(lambda *_a: self.produce_again())
        self.template_label, self.languages_label = QLabel(), QLabel()
        self.template_label.setBuddy(self.template)
        self.languages_label.setBuddy(self.doc_languages)
        options = QHBoxLayout()
        for w in (self.template_label, self.template, self.languages_label, self.doc_languages, self.grey):
            options.addWidget(w)
        options.addStretch(1)
        buttons = QHBoxLayout()
        for b in (self.flyer_button, self.letters_button, self.delivery_button, self.radio_button):
            buttons.addWidget(b)
            b.setEnabled(self.can_edit)
        buttons.addStretch(1)
        self.documents_title = QLabel()
        self.flyer_notice = QLabel(objectName="flyerNotice", wordWrap=True)  # the type was reduced to fit
        self.flyer_notice.hide()
        again = QHBoxLayout()
        again.addWidget(self.documents_title, 1)
        again.addWidget(self.again_button)
        self.again_button.setEnabled(self.can_edit)
        layout = QVBoxLayout(page)
        layout.addLayout(options)
        layout.addLayout(buttons)
        layout.addWidget(self.flyer_notice)
        layout.addLayout(again)
        layout.addWidget(self.documents, 1)
        self.flyer_button.clicked.connect(lambda: self.make("flyer"))
        self.letters_button.clicked.connect(lambda: self.make("letters"))
        self.delivery_button.clicked.connect(lambda: self.make("delivery"))
        self.radio_button.clicked.connect(lambda: self.make("radio"))
        self.again_button.clicked.connect(self.produce_again)
        self.tabs.addTab(page, "")

    def _build_letters_tab(self) -> None:
        page = QWidget()
        self.letter_list = QListWidget(objectName="letterList")
        self.letter_list.itemChanged.connect(self._letter_ticked)
        self.letters_hint = QLabel(wordWrap=True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.letters_hint)
        layout.addWidget(self.letter_list, 1)
        self.tabs.addTab(page, "")

    def _build_radio_tab(self) -> None:
        page = QWidget()
        self.radio_es, self.radio_local = QPlainTextEdit(objectName="radioEs"), QPlainTextEdit(objectName="radioLocal")
        self.radio_es_label, self.radio_local_label = QLabel(), QLabel()
        self.radio_es_time, self.radio_local_time = (
            QLabel(objectName="radioEsTime"),
            QLabel(objectName="radioLocalTime"),
        )
        self.radio_save, self.radio_reset = QPushButton(objectName="radioSave"), QPushButton()
        self.radio_es.textChanged.connect(self._timings)
        self.radio_local.textChanged.connect(self._timings)
        self.radio_save.clicked.connect(self.save_radio)
        self.radio_reset.clicked.connect(self.reset_radio)
        for b in (self.radio_save, self.radio_reset):
            b.setEnabled(self.can_edit)
        columns = QHBoxLayout()
        for title, edit, timing in ((self.radio_es_label, self.radio_es, self.radio_es_time),
                                    (self.radio_local_label, self.radio_local, self.radio_local_time)):  # fmt: skip
            column = QVBoxLayout()
            column.addWidget(title)
            column.addWidget(edit, 1)
            timing.setWordWrap(True)
            column.addWidget(timing)
            columns.addLayout(column)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.radio_reset)
        buttons.addWidget(self.radio_save)
        layout = QVBoxLayout(page)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)
        self.tabs.addTab(page, "")

    def _build_reach_tab(self) -> None:
        page = QWidget()
        self.reach_model = RowsModel(REACH_COLUMNS, self)
        self.reach = QTableView(objectName="reachTable")
        self.reach.setModel(self.reach_model)
        self.reach.verticalHeader().hide()
        self.reach.horizontalHeader().setStretchLastSection(False)
        self.reach_total = QLabel(objectName="reachTotal", wordWrap=True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.reach, 1)
        layout.addWidget(self.reach_total)
        self.tabs.addTab(page, "")

    # -- list -----------------------------------------------------------------------------------

    def refresh(self, *_args) -> None:
        try:
            rows = self.service.list(self.search.text())
        except TamboError as exc:
            report_error(self, exc)
            return
        keep = self.campaign_id
        self.list_model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, self.table.horizontalHeader().ResizeMode.Stretch)
        ids = [r.id for r in rows]
        if keep in ids:
            self.table.selectRow(ids.index(keep))
        elif rows:
            self.table.selectRow(0)
        else:
            self.show_campaign(None)

    def _selected_changed(self) -> None:
        row = self.list_model.row_at(self.table.currentIndex())
        if row is not None and row.id != self.campaign_id:
            self.show_campaign(row.id)

    def new_campaign(self) -> None:
        self.table.clearSelection()
        self.show_campaign(None)
        self.tabs.setCurrentWidget(self.data_tab)
        self.title_es.setFocus()

    def _delete(self) -> None:
        if self.campaign_id is None:
            return
        if QMessageBox.question(self, _("Eliminar"), _("¿Eliminar la campaña «{title}» con sus tareas y documentos?").format(
                title=self.title_es.text())) != QMessageBox.StandardButton.Yes:  # fmt: skip
            return
        try:
            self.service.delete(self.campaign_id)
        except TamboError as exc:
            report_error(self, exc)
        self.campaign_id = None
        self.refresh()

    # -- one campaign ---------------------------------------------------------------------------

    def show_campaign(self, campaign_id: int | None) -> None:
        self.campaign_id = campaign_id
        self.errors.hide()
        try:
            detail = self.service.get(campaign_id) if campaign_id else None
            upcoming = self.service.upcoming_interventions()
            communities = CommunityService(self.session).list()
        except TamboError as exc:
            report_error(self, exc)
            return
        form = detail.form() if detail else CampaignForm()
        self.version, self.on_top = form.version, False  # of the campaign as shown
        self.title_es.setText(form.title_es)
        self.title_local.setText(form.title_local)
        self.message_es.setPlainText(form.message_es)
        self.message_local.setPlainText(form.message_local)
        select_data(self.language, form.local_language)
        select_data(self.layout_combo, form.layout)
        self.starts_auto.setChecked(detail is None)
        day = form.starts_on or dates.today()
        self.starts_on.setDate(QDate(day.year, day.month, day.day))
        _fill_checks(self.channels, [(c, label(CAMPAIGN_CHANNELS, c)) for c in CAMPAIGN_CHANNELS], set(form.channels))
        _fill_checks(self.bring, [(c, label(BRING_ITEMS, c)) for c in BRING_ITEMS], set(form.bring))
        shown = {r.id: r for r in upcoming}
        for r in detail.interventions if detail else ():
            shown.setdefault(r.id, r)
        items = [(r.id, f"{i18n.format_date(r.starts_at.date(), 'day_month')} {i18n.format_time(r.starts_at)} {r.entity_label} — {r.title}")
                 for r in sorted(shown.values(), key=lambda r: r.starts_at)]  # fmt: skip
        _fill_checks(self.interventions, items, set(form.intervention_ids))
        _fill_checks(self.communities, [(c.id, c.name) for c in communities], set(form.community_ids))
        self.photo_label.setText(_("Con foto") if detail and detail.has_photo else _("Sin foto"))
        for w in (self.photo_button, self.photo_clear):
            w.setEnabled(bool(detail) and self.can_edit)
        self.photo_clear.setEnabled(bool(detail and detail.has_photo) and self.can_edit)
        for index in range(1, self.tabs.count()):
            self.tabs.setTabEnabled(index, detail is not None)
        self.delete_button.setEnabled(detail is not None and self.can_edit)
        documents = {"es": _("Solo castellano")}  # a campaign in Spanish only (no phrases of the community's language)
        if form.local_language:
            documents = {f"es,{form.local_language}": _("Castellano y {language}").format(
                language=label(SPOKEN_LANGUAGES, form.local_language)), **documents}  # fmt: skip
        fill_combo(self.doc_languages, documents)
        self.radio_local_label.setText(label(SPOKEN_LANGUAGES, form.local_language))
        if detail:
            self._show_tasks()
            self._show_documents()
            self._show_letters()
            self._show_radio()
            self._show_reach()

    def _form(self) -> CampaignForm:
        d = self.starts_on.date()
        return CampaignForm(
            self.title_es.text(), self.title_local.text(), self.message_es.toPlainText(), self.message_local.toPlainText(),
            self.language.currentData(), self.layout_combo.currentData(), _checked(self.channels), _checked(self.bring),
            None if self.starts_auto.isChecked() else dt.date(d.year(), d.month(), d.day()),
            _checked(self.interventions), _checked(self.communities),
            self.service.get(self.campaign_id).notes if self.campaign_id else "",
            version=self.version if self.campaign_id else None, on_top=self.on_top,
        )  # fmt: skip

    def save(self) -> None:
        form = self._form()
        saved: list[int] = []
        if submitted(self, lambda: saved.append(self.service.save(form, self.campaign_id)), self.errors, self.fields,
                     self.labels, versioned=self):  # fmt: skip
            self.errors.hide()
            self.campaign_id = saved[0]
            self.refresh()
            self.show_campaign(saved[0])

    def _save(self) -> None:  # the conflict dialog's "apply mine on top" saves again
        self.save()

    def reload(self) -> None:
        """Show the campaign as another PC saved it."""
        self.show_campaign(self.campaign_id)

    def choose_photo(self, path: str | None = None) -> None:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, _("Foto para el volante"), "",
                                                        _("Fotos (*.jpg *.jpeg *.png)"))  # fmt: skip
            if not path:
                return
        self.set_photo(Path(path))

    def set_photo(self, path: Path | None) -> None:
        if self.campaign_id is None:
            return
        try:
            self.service.set_photo(self.campaign_id, path)
        except TamboError as exc:
            report_error(self, exc)
            return
        self.show_campaign(self.campaign_id)

    # -- checklist ------------------------------------------------------------------------------

    def _show_tasks(self) -> None:
        self.task_list.blockSignals(True)
        self.task_list.clear()
        for task in self.service.tasks(self.campaign_id):
            text = task.title
            if task.done_at:
                text += " — " + _("{who}, {when}").format(
                    who=task.done_by, when=i18n.format_datetime(task.done_at, "short")
                )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, task.id)
            flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags if self.can_edit else flags & ~Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Checked if task.done_at else Qt.CheckState.Unchecked)
            self.task_list.addItem(item)
        self.task_list.blockSignals(False)

    def _task_ticked(self, item: QListWidgetItem) -> None:
        try:
            self.service.tick(item.data(Qt.ItemDataRole.UserRole), item.checkState() == Qt.CheckState.Checked)
        except TamboError as exc:
            report_error(self, exc)
        self._show_tasks()
        self.refresh()

    def add_task(self) -> None:
        if self.campaign_id is None or not self.new_task.text().strip():
            return
        try:
            self.service.add_task(self.campaign_id, self.new_task.text())
        except TamboError as exc:
            report_error(self, exc)
            return
        self.new_task.clear()
        self._show_tasks()
        self.refresh()

    def remove_task(self) -> None:
        item = self.task_list.currentItem()
        if item is None:
            return
        try:
            self.service.remove_task(item.data(Qt.ItemDataRole.UserRole))
        except TamboError as exc:
            report_error(self, exc)
        self._show_tasks()
        self.refresh()

    # -- documents ------------------------------------------------------------------------------

    def _show_documents(self) -> None:
        self.documents_model.set_rows(self.service.documents(self.campaign_id))
        self.documents.resizeColumnsToContents()

    def produce(self, kind: str, options: dict | None = None) -> Path | None:
        """Make a document of the campaign into a working file; None (and the reason shown) if it can't."""
        options = options or {}
        path = self.workdir / f"{kind}-{self.campaign_id}-{dt.datetime.now():%H%M%S%f}.pdf"
        try:
            if kind == "flyer":
                template = options.get("template") or self.template.currentData()
                languages = options.get("languages") or self.doc_languages.currentData().split(",")
                result = self.service.export_flyer_pdf(
                    self.campaign_id, template, languages, path, options.get("grey", self.grey.isChecked())
                )
                self.flyer_notice.setText(result.notice)
                self.flyer_notice.setVisible(bool(result.notice))
            elif kind == "letters":
                self.letters.export_pdf(self.campaign_id, path)
                self._show_letters()
            elif kind == "delivery":
                self.letters.export_delivery_pdf(self.campaign_id, path)
            else:
                script = self.radio.for_campaign(self.campaign_id, options.get("languages"))
                self.radio.export_pdf(script, path, self.campaign_id)
        except TamboError as exc:
            report_error(self, exc)
            return None
        self._show_documents()
        return path

    def make(self, kind: str, options: dict | None = None, preview: bool = True) -> Path | None:
        path = self.produce(kind, options)
        if path is not None and preview:
            self.preview(path, _(DOCUMENT_KINDS[kind]))
        return path

    def preview(self, path: Path, title: str) -> None:
        from tambo_desktop.gui.pdf_preview import PdfPreviewDialog

        try:
            dialog = PdfPreviewDialog(path, title, self, suggested_name=f"{title}.pdf")
        except TamboError as exc:
            report_error(self, exc)
            return
        dialog.exec()

    def produce_again(self) -> None:
        row = self.documents_model.row_at(self.documents.currentIndex())
        if row is not None:
            self.make(row.kind, row.options)

    # -- letters, radio, reach ------------------------------------------------------------------

    def _show_letters(self) -> None:
        rows = self.letters.rows(self.campaign_id)
        self.letter_list.blockSignals(True)
        self.letter_list.clear()
        for row in rows:
            text = f"{row.reference} · {row.leader_name} ({label(LEADER_ROLES, row.role)}, {row.community})"
            if row.delivered_on:
                text += " — " + _("entregado el {date}").format(date=i18n.format_date(row.delivered_on, "short"))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if row.delivered_on else Qt.CheckState.Unchecked)
            self.letter_list.addItem(item)
        self.letter_list.blockSignals(False)
        self.letters_hint.setText(_("Marque cada oficio cuando el dirigente lo reciba.") if rows else
                                  _("Aún no hay oficios: imprímalos en la pestaña Documentos."))  # fmt: skip

    def _letter_ticked(self, item: QListWidgetItem) -> None:
        done = item.checkState() == Qt.CheckState.Checked
        try:
            self.letters.set_delivered(item.data(Qt.ItemDataRole.UserRole), dates.today() if done else None)
        except TamboError as exc:
            report_error(self, exc)
        self._show_letters()

    def _show_radio(self) -> None:
        try:
            script = self.radio.for_campaign(self.campaign_id)
        except TamboError as exc:
            report_error(self, exc)
            return
        local = [code for code in script.texts if code != "es"]
        self.radio_es.setPlainText(script.texts.get("es", ""))
        self.radio_local.setPlainText(script.texts[local[0]] if local else "")

    def _timings(self) -> None:
        language = self.language.currentData() or "qu"
        self.radio_es_time.setText(timing_note(self.radio_es.toPlainText(), "es"))
        self.radio_local_time.setText(timing_note(self.radio_local.toPlainText(), language))

    def save_radio(self) -> None:
        try:
            self.radio.save(self.campaign_id, self.radio_es.toPlainText(), self.radio_local.toPlainText())
        except TamboError as exc:
            report_error(self, exc)
            return
        self._follow_own_save()

    def reset_radio(self) -> None:
        try:
            self.radio.save(self.campaign_id, "", "")
        except TamboError as exc:
            report_error(self, exc)
        else:
            self._follow_own_save()
        self._show_radio()

    def _follow_own_save(self) -> None:
        """The campaign's form follows this user's own save of its script (not another PC's change)."""
        if self.campaign_id is not None:
            self.version = self.service.get(self.campaign_id).version

    def _show_reach(self) -> None:
        rows = self.service.reach(self.campaign_id)
        self.reach_model.set_rows(rows)
        self.reach.resizeColumnsToContents()
        self.reach.horizontalHeader().setSectionResizeMode(0, self.reach.horizontalHeader().ResizeMode.Stretch)
        expected = sum(r.expected or 0 for r in rows)
        users = sum(r.users for r in rows)
        attentions = sum(r.attentions for r in rows)
        text = _("{users} usuarios y {attentions} atenciones de {expected} personas esperadas.").format(
            users=users, attentions=attentions, expected=expected)  # fmt: skip
        if expected:
            text += " " + _("Alcance: {percent} %.").format(percent=round(100 * users / expected))
        self.reach_total.setText(text)

    # -- language -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.isVisible():
                self.refresh()
                self.show_campaign(self.campaign_id)
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Buscar campaña…"))
        self.new_button.setText(_("&Nueva campaña"))
        self.delete_button.setText(_("Eliminar"))
        for index, title in enumerate((_("&Datos"), _("&Tareas"), _("D&ocumentos"), _("O&ficios"), _("&Radio"),
                                       _("A&lcance"))):  # fmt: skip
            self.tabs.setTabText(index, title)
        captions = {"title_es": _("Título en castellano:"), "title_local": _("Título en la lengua:"),
                    "local_language": _("Lengua de las comunidades:"), "layout": _("Los dos idiomas:"),
                    "message_es": _("Mensaje en castellano:"), "message_local": _("Mensaje en la lengua:"),
                    "starts_on": _("Empieza:"), "channels": _("Canales:"), "bring": _("Qué traer:"),
                    "interventions": _("Intervenciones:"), "communities": _("Centros poblados:"), "photo": _("Foto:")}  # fmt: skip
        for name, caption in captions.items():
            self.labels[name].setText(caption)
        self.starts_auto.setText(_("14 días antes"))
        _fill_campaign_languages(self.language)
        fill_combo(self.layout_combo, CAMPAIGN_LAYOUTS)
        fill_combo(self.template, FLYER_TEMPLATES)
        select_data(self.template, "a5")
        self.photo_button.setText(_("Elegir foto…"))
        self.photo_clear.setText(_("Quitar foto"))
        self.save_button.setText(_("&Guardar campaña"))
        self.new_task.setPlaceholderText(_("Nueva tarea…"))
        self.add_task_button.setText(_("Añadir"))
        self.remove_task_button.setText(_("Quitar"))
        self.template_label.setText(_("Formato:"))
        self.languages_label.setText(_("Idiomas:"))
        self.grey.setText(_("Blanco y negro"))
        self.flyer_button.setText(_("&Volante…"))
        self.letters_button.setText(_("Oficios…"))
        self.delivery_button.setText(_("Lista de entrega…"))
        self.radio_button.setText(_("Guion de radio…"))
        self.documents_title.setText(_("Documentos producidos:"))
        self.again_button.setText(_("Producir otra vez…"))
        self.radio_es_label.setText(_("Castellano"))
        self.radio_save.setText(_("Guardar guion"))
        self.radio_reset.setText(_("Volver al texto generado"))
        for model in (self.list_model, self.documents_model, self.reach_model):
            model.retranslate()
