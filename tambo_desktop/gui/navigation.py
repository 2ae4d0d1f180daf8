"""The navigation list (issue 14, part 8): the pages in four groups, each page with its icon, the
group's name above its first page; at a large text size on a small screen the groups close up (a thin
line instead of the name, smaller icons) so that every page stays in view without scrolling."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyledItemDelegate, QStyleOptionViewItem

from tambo_desktop import assets
from tambo_desktop.i18n import NP_, _, pgettext

GROUP_CONTEXT = "navigation group"
#: Each page's group (its name shown above its first page) and icon (resources/icons/nav/<icon>.svg).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (NP_("navigation group", "Atención"), ("TodayPage", "VoyagePage", "DeskPage", "AttentionsPage", "PersonsPage")),
    (
        NP_("navigation group", "Planificación"),
        ("CalendarPage", "PlanPage", "CampaignsPage", "TrainingPage", "TripsPage"),
    ),
    (NP_("navigation group", "Seguimiento"), ("StaffPage", "MonthPage", "ReportPage")),
    (NP_("navigation group", "Administración"), ("CommunitiesPage", "AccountsPage", "BackupPage", "AuditPage")),
)
ICONS = {
    "TodayPage": "today", "VoyagePage": "voyage", "DeskPage": "desk", "AttentionsPage": "attentions",
    "PersonsPage": "persons", "CalendarPage": "calendar", "PlanPage": "plan", "CampaignsPage": "campaigns",
    "TrainingPage": "training", "TripsPage": "trips", "StaffPage": "staff", "MonthPage": "month",
    "ReportPage": "report", "CommunitiesPage": "communities", "AccountsPage": "accounts", "BackupPage": "backup",
    "AuditPage": "audit",
}  # fmt: skip
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1  # the group's msgid on the first page of a group
ICON_COLOUR = "#37474f"  # on the list's white: 9.9:1
SELECTED_COLOUR = "#ffffff"  # on the selection's blue
GROUP_COLOUR = "#455a64"  # a group's name on the list's white: 7.2:1


def group_of(page_class: str) -> str:
    for name, pages in GROUPS:
        if page_class in pages:
            return name
    return ""


def icon(name: str, size: int = 48) -> QIcon:
    """A navigation icon: dark on the list, white on the selected row."""
    source = assets.path(f"icons/nav/{name}.svg").read_text(encoding="utf-8")
    result = QIcon()
    for mode, colour in ((QIcon.Mode.Normal, ICON_COLOUR), (QIcon.Mode.Selected, SELECTED_COLOUR)):
        renderer = QSvgRenderer(QByteArray(source.replace(ICON_COLOUR, colour).encode()))
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap, mode)
    return result


class _Delegate(QStyledItemDelegate):
    """Draws a group's name (or, closed up, a thin line) above the first page of each group."""

    def __init__(self, parent) -> None:
        super().__init__(parent)
        self.compact = False

    def _header_height(self, option: QStyleOptionViewItem) -> int:
        return 5 if self.compact else option.fontMetrics.height() + 6

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt's name
        size = super().sizeHint(option, index)
        if self.compact:
            size.setHeight(max(size.height() - 2, option.fontMetrics.height() + 2))
        if index.data(GROUP_ROLE):
            size.setHeight(size.height() + self._header_height(option))
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        group = index.data(GROUP_ROLE)
        if not group:
            super().paint(painter, option, index)
            return
        header = self._header_height(option)
        top = QRect(option.rect.left(), option.rect.top(), option.rect.width(), header)
        painter.save()
        palette = option.palette
        painter.fillRect(top, palette.color(QPalette.ColorRole.Base))
        if self.compact:
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.drawLine(top.left() + 4, top.center().y(), top.right() - 4, top.center().y())
        else:
            font = QFont(option.font)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor(GROUP_COLOUR))
            painter.drawText(top.adjusted(4, 2, -4, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             option.fontMetrics.elidedText(pgettext(GROUP_CONTEXT, group), Qt.TextElideMode.ElideRight, top.width() - 8))  # fmt: skip
        painter.restore()
        rest = QStyleOptionViewItem(option)
        rest.rect = option.rect.adjusted(0, header, 0, 0)
        super().paint(painter, rest, index)


class NavigationList(QListWidget):
    """The window's page list: one row per page (row n is page n), grouped, with icons."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self.delegate = _Delegate(self)
        self.setItemDelegate(self.delegate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(False)
        self._fitting = False
        self._later = QTimer(self, singleShot=True, interval=0)
        self._later.timeout.connect(self.fit)
        self._fit_icons()

    def add_page(self, title: str, page) -> QListWidgetItem:
        item = QListWidgetItem(_(title))
        item.setToolTip(_(title))  # whole when the row elides it
        name = type(page).__name__
        if name in ICONS:
            item.setIcon(icon(ICONS[name]))
        group = group_of(name)
        previous = self.item(self.count() - 1) if self.count() else None
        first = bool(group) and (previous is None or previous.data(Qt.ItemDataRole.UserRole) != group)
        item.setData(GROUP_ROLE, group if first else "")  # never None: read at every paint
        item.setData(Qt.ItemDataRole.UserRole, group)
        self.addItem(item)
        return item

    def _fit_icons(self) -> None:
        side = self.fontMetrics().height() + (0 if self.delegate.compact else 4)
        self.setIconSize(QSize(side, side))

    def contents_height(self) -> int:
        return sum(self.sizeHintForRow(i) for i in range(self.count())) + 2 * self.frameWidth()

    def fit(self) -> None:
        """Open the groups when every page fits with them, close them up when not."""
        if self._fitting or not self.count():
            return
        self._fitting = True
        try:
            available = self.height()
            for compact in (False, True):
                self.delegate.compact = compact
                self._fit_icons()
                if self.contents_height() <= available:
                    break
            self.doItemsLayout()
            # the longest page name decides the width (Aymara and Quechua names are longer), up to a fifth of
            # the window: at a large text size on a small screen the page keeps its room, the rows elide
            # (whole in their tooltips)
            room = max(160, self.window().width() // 5) if self.window() is not self else self.maximumWidth()
            self.setMinimumWidth(min(self.maximumWidth(), room, self.sizeHintForColumn(0) + 2 * self.frameWidth() + 12))
        finally:
            self._fitting = False

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.LanguageChange):
            self._later.start()  # once the rows have their new sizes
