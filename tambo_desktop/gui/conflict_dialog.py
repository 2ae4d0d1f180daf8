"""Another PC saved the record while this user had it open (issue 17, part 1): their values
beside the user's, and the choice to reload theirs or to apply the user's on top."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from tambo_desktop.errors import StaleRecord
from tambo_desktop.i18n import _

RELOAD, KEEP_MINE = "reload", "keep"


class ConflictDialog(QDialog):
    """Shows a StaleRecord; ``choice`` is RELOAD, KEEP_MINE or None (cancelled: the form stays)."""

    def __init__(self, error: StaleRecord, parent=None) -> None:
        super().__init__(parent)
        self.choice: str | None = None
        self.setWindowTitle(_("Otra persona cambió este registro"))
        self.explain = QLabel(str(error).split("\n")[0])
        self.explain.setWordWrap(True)
        self.table = QTableWidget(len(error.differences), 3)
        self.table.setHorizontalHeaderLabels(
            [_("Dato"), _("Según {who}").format(who=error.changed_by), _("Según usted")]
        )
        for row, difference in enumerate(error.differences):
            for column, text in enumerate((difference.label, difference.theirs, difference.yours)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.reload_button = QPushButton(_("Volver a cargar"))
        self.reload_button.setToolTip(_("Deja los datos de {who} y descarta los suyos.").format(who=error.changed_by))
        self.keep_button = QPushButton(_("Aplicar los míos encima"))
        self.keep_button.setToolTip(_("Guarda sus datos sobre los de {who} (queda en la auditoría).").format(
            who=error.changed_by))  # fmt: skip
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.reload_button.clicked.connect(lambda: self._choose(RELOAD))
        self.keep_button.clicked.connect(lambda: self._choose(KEEP_MINE))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.explain, self.table, self.buttons):
            layout.addWidget(widget)
        self.resize(640, 320)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def ask(error: StaleRecord, parent=None) -> str | None:
    dialog = ConflictDialog(error, parent)
    dialog.exec()
    return dialog.choice
