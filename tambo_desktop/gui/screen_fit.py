"""Windows that fit the screen they are on (a 1024×768 tambo PC included).

- :func:`place_main_window` sizes the main window within the available screen, and maximises it when
  the screen is small;
- :func:`scrolling_page` puts a page in a scroll area, so a page that needs more room scrolls instead
  of growing the window for good (only when its parts are at their *minimum* height: see
  :class:`PageFrame`);
- :class:`BoundedText` shows a word-wrapped label of any length in at most a few lines, scrolling
  inside (the alerts of the Today page);
- :class:`DialogFitter` (installed once on the application) makes every dialog that would be larger
  than the screen scroll as a whole, its buttons kept visible below, and keeps it on screen;
- :class:`ElidedLabel` is a label that never widens its window: a text too long for it ends in "…" and
  shows whole in its tooltip.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPainter
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLayout,
    QLayoutItem,
    QMessageBox,
    QProgressDialog,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
)

SMALL_SCREEN = QSize(1280, 800)  # below this the main window opens maximised
DEFAULT_SIZE = QSize(1100, 700)


def available(widget: QWidget | None = None) -> QRect:
    """The part of the widget's screen that windows may use (without panels)."""
    screen = (widget.screen() if widget is not None else None) or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def is_small(area: QRect) -> bool:
    return area.width() < SMALL_SCREEN.width() or area.height() < SMALL_SCREEN.height()


def _frame_margins(window: QWidget) -> QSize:
    """What the window manager adds around a window (title bar, borders); a guess before the first show."""
    frame, inner = window.frameGeometry(), window.geometry()
    if window.isVisible() and frame.size() != inner.size():
        return frame.size() - inner.size()
    return QSize(8, 32)


def place_main_window(window: QWidget, stored_geometry: object | None) -> None:
    """Restore the stored geometry only where it fits the screen; maximise on a small screen."""
    area = available(window)
    margins = _frame_margins(window)
    room = QSize(area.width() - margins.width(), area.height() - margins.height())
    if stored_geometry is not None:
        window.restoreGeometry(stored_geometry)
    else:
        window.resize(DEFAULT_SIZE)
    size = window.size().boundedTo(room)
    window.resize(size)
    frame = QRect(window.pos(), size + margins)
    if not area.contains(frame):  # moved off the screen, or a geometry stored on a larger screen
        x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
        y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
        window.move(max(x, area.x()), max(y, area.y()))
    if is_small(area):
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


class PageFrame(QWidget):
    """What a page's scroll area holds: the page, with no margin.

    Qt's scroll area keeps a widget whose layout has a height for its width (any word-wrapped label
    does) at least as tall as its *preferred* height for that width, so a page whose lists would like
    more rows than fit scrolled as a whole at 1024×768 (the Today page did, on days whose alerts were
    long). The frame answers with the *minimum* height for the width instead: lists and notes shrink
    to their minimum first, and the page scrolls only when even that does not fit."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.setObjectName("pageFrame")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(page)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        layout = self.layout()
        if layout.hasHeightForWidth():
            return layout.totalMinimumHeightForWidth(width)
        return super().heightForWidth(width)


def scrolling_page(page: QWidget) -> QScrollArea:
    """The page inside a frameless scroll area that gives it all the room there is (scroll bars only
    when the window is smaller than the page needs at its minimum)."""
    scroll = QScrollArea()
    scroll.setObjectName("pageScroll")
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidgetResizable(True)
    scroll.setWidget(PageFrame(page))
    scroll.setFocusProxy(page)
    elide_combos(page)
    for view in page.findChildren(QTableView):
        headers_fit(view)
    return scroll


class FlowLayout(QLayout):
    """Widgets in a row that wraps to the next line when the room is too narrow (a row of buttons
    whose labels are long in Quechua or at 175 % text), instead of widening the page for good.
    ``break_before`` starts a group on the right side of the row when it fits on the same line."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right_from: int | None = None
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def add_right(self, widget: QWidget) -> None:
        """``widget`` and those added after it go to the right end of the row (when on one line)."""
        if self._right_from is None:
            self._right_from = len(self._items)
        self.addWidget(widget)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._lay_out(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._lay_out(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        widths = [i.sizeHint().width() for i in self._shown()]
        height = max((i.sizeHint().height() for i in self._shown()), default=0)
        return QSize(sum(widths) + self.spacing() * max(0, len(widths) - 1), height)

    def minimumSize(self) -> QSize:  # noqa: N802 - the widest item: the rest wraps
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        return size

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not (i.widget() is not None and i.widget().isHidden())]

    def _lay_out(self, rect: QRect, move: bool) -> int:
        items, gap = self._shown(), self.spacing()
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in items:
            width = item.sizeHint().width()
            if rows[-1] and used + gap + width > rect.width():
                rows.append([])
                used = 0
            used += (gap if rows[-1] else 0) + width
            rows[-1].append(item)
        y = rect.y()
        right = [i for n, i in enumerate(self._items) if self._right_from is not None and n >= self._right_from]
        for row in rows:
            height = max((i.sizeHint().height() for i in row), default=0)
            if move:
                x = rect.x()
                if len(rows) == 1 and right:  # one line: the right group at the right end
                    tail = sum(i.sizeHint().width() for i in row if i in right) + gap * (
                        len([i for i in row if i in right]) - 1
                    )
                    split = rect.right() + 1 - tail
                else:
                    split = None
                for item in row:
                    if split is not None and item is next(i for i in row if i in right):
                        x = max(x, split)
                    hint = item.sizeHint()
                    item.setGeometry(QRect(QPoint(x, y), QSize(min(hint.width(), rect.width()), hint.height())))
                    x += hint.width() + gap
            y += height + gap
        return max(0, y - gap - rect.y())


class BoundedText(QScrollArea):
    """A word-wrapped label in a frameless area at most ``lines`` lines high: shorter texts take just
    their height, a longer one scrolls inside it (the page around it keeps its size)."""

    def __init__(self, label: QLabel, lines: int = 7) -> None:
        super().__init__()
        self.lines = lines
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setWidget(label)
        self.setFocusProxy(label)

    def cap(self) -> int:
        label = self.widget()
        margins = label.contentsMargins()
        return label.fontMetrics().lineSpacing() * self.lines + margins.top() + margins.bottom() + 12

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        needed = self.widget().heightForWidth(width)
        if needed < 0:
            needed = self.widget().sizeHint().height()
        return min(needed, self.cap())

    def sizeHint(self) -> QSize:  # noqa: N802
        width = self.width() if self.width() > 0 else super().sizeHint().width()
        return QSize(super().sizeHint().width(), self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, min(self.cap(), self.widget().fontMetrics().lineSpacing() * 2 + 12))


def headers_fit(view: QTableView) -> None:
    """Each column at least as wide as its title (Qt cuts a centred title on both sides otherwise);
    kept so after a language change or new rows."""
    header = view.horizontalHeader()
    header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a stretched column's title ends in "…", whole in its tooltip

    def widen(*_args) -> None:
        if not shiboken6.isValid(header):  # a QTableWidget's model outlives its header while it is deleted
            return
        for section in range(header.count()):
            if (
                header.isSectionHidden(section)
                or header.sectionResizeMode(section) != QHeaderView.ResizeMode.Interactive
            ):
                continue
            needed = header.sectionSizeFromContents(section).width()
            if header.sectionSize(section) < needed:
                header.resizeSection(section, needed)

    def titles_changed(*_args) -> None:
        header.resizeSections()  # columns sized to their contents measure the new titles too
        widen()

    model = view.model()
    if model is None:
        return
    for signal in (model.modelReset, model.layoutChanged, header.sectionResized):
        signal.connect(widen)
    model.headerDataChanged.connect(titles_changed)
    widen()


class _ComboElider(QObject):
    """Paints a combo's current text elided with "…" when the combo is narrower than it (the whole
    text then in the tooltip), instead of cutting it."""

    def eventFilter(self, combo: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.Paint or not isinstance(combo, QComboBox) or combo.isEditable():
            return False
        painter = QStylePainter(combo)
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = combo.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
        )
        text = option.currentText
        elided = combo.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, field.width())
        option.currentText = elided
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
        tip = text if elided != text else ""
        if combo.toolTip() != tip and (not combo.toolTip() or combo.property("elidedTip")):
            combo.setToolTip(tip)
            combo.setProperty("elidedTip", bool(tip))
        return True


_ELIDER: _ComboElider | None = None


def elide_combos(root: QWidget) -> None:
    """Every non-editable combo under ``root`` elides its text instead of cutting it."""
    global _ELIDER
    if _ELIDER is None:
        _ELIDER = _ComboElider(QApplication.instance())
    for combo in root.findChildren(QComboBox):
        if not combo.isEditable() and not combo.property("elides"):
            combo.setProperty("elides", True)
            combo.installEventFilter(_ELIDER)


class ElidedLabel(QLabel):
    """One line of text that takes the room it is given: elided with "…" when too long, the full text
    then in its tooltip. It never asks its window for more width than ``minimum`` pixels."""

    def __init__(self, text: str = "", parent: QWidget | None = None, minimum: int = 40) -> None:
        super().__init__(text, parent)
        self._minimum = minimum
        self._own_tooltip = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def setToolTip(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._own_tooltip = text
        self._update_tooltip()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self._update_tooltip()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        return QSize(min(self._minimum, hint.width()), hint.height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        parts = [self.text()] if self.is_elided() else []
        if self._own_tooltip:
            parts.append(self._own_tooltip)
        QLabel.setToolTip(self, "\n".join(parts))

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(self.alignment()), text)


_NOT_WRAPPED = (QMessageBox, QFileDialog, QProgressDialog, QInputDialog, QWizard)


class DialogFitter(QObject):
    """Keeps every dialog on its screen: one larger than the screen scrolls as a whole (its button
    row stays below the scrolled part), and any dialog is moved to lie inside the available area."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if isinstance(watched, QDialog) and event.type() == QEvent.Type.Show and watched.isWindow():  # cheap test first
            fit_dialog(watched)
        return False


def fit_dialog(dialog: QDialog) -> None:
    area = available(dialog)
    margins = _frame_margins(dialog)
    room = QSize(area.width() - margins.width(), area.height() - margins.height())
    hint = dialog.sizeHint().expandedTo(dialog.minimumSizeHint())
    too_big = hint.width() > room.width() or hint.height() > room.height()
    if dialog.property("elides") is not True:
        dialog.setProperty("elides", True)
        elide_combos(dialog)
    if too_big and not isinstance(dialog, _NOT_WRAPPED) and dialog.property("scrollsAsWhole") is not True:
        _wrap_in_scroll_area(dialog)
    if dialog.minimumWidth() > room.width() or dialog.minimumHeight() > room.height():
        dialog.setMinimumSize(dialog.minimumSize().boundedTo(room))
    dialog.resize(dialog.size().expandedTo(dialog.minimumSizeHint()).boundedTo(room))
    frame = QRect(dialog.pos(), dialog.size() + margins)
    if not area.contains(frame):
        x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
        y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
        dialog.move(max(x, area.x()), max(y, area.y()))


def _wrap_in_scroll_area(dialog: QDialog) -> None:
    """Move the dialog's layout into a scroll area; its last button box stays outside, below."""
    layout = dialog.layout()
    if layout is None:
        return
    dialog.setProperty("scrollsAsWhole", True)
    buttons = None
    for index in range(layout.count() - 1, -1, -1):
        widget = layout.itemAt(index).widget()
        if isinstance(widget, QDialogButtonBox):
            buttons = widget
            layout.takeAt(index)
            break
    inner = QWidget()
    inner.setObjectName("dialogContents")
    inner.setLayout(layout)  # Qt moves the layout and its widgets over to ``inner``
    scroll = QScrollArea()
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    scroll.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    scroll.setWidget(inner)
    outer = QVBoxLayout(dialog)
    outer.addWidget(scroll, 1)
    if buttons is not None:
        outer.addWidget(buttons)
    scroll.setMinimumSize(inner.minimumSizeHint().boundedTo(QSize(200, 120)))


def install(app: QApplication) -> DialogFitter:
    fitter = DialogFitter(app)
    app.installEventFilter(fitter)
    return fitter
