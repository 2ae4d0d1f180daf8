"""A read-only table model over a list of rows, with translated headers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from tambo_desktop.i18n import _

_ROOT = QModelIndex()


@dataclass(frozen=True)
class Column:
    title: str  # Spanish source text, translated when shown
    value: Callable[[Any], object]
    align_right: bool = False
    sort: str | None = None  # the service's sort key, for models that sort in the database


class RowsModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, index: QModelIndex) -> Any | None:
        return self.rows[index.row()] if index.isValid() and index.row() < len(self.rows) else None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = column.value(self.rows[index.row()])
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        # the tooltip holds the whole title when a narrow column elides it
        if (
            role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
            and orientation == Qt.Orientation.Horizontal
        ):
            return _(self.columns[section].title)
        return None


#: Fetches one page: ``(where the previous page ended or None, size) → (rows, next or None)``.
PageFetcher = Callable[[Any, int], tuple[list[Any], Any]]


class PagedModel(RowsModel):
    """Rows fetched on demand, a page at a time, as the view scrolls (never the whole table).

    Sorting is done by the database: clicking a header re-queries with that column's
    ``sort`` key.
    """

    def __init__(self, columns: Sequence[Column], fetch: PageFetcher, page_size: int = 200, parent=None) -> None:
        super().__init__(columns, parent)
        self.fetch = fetch
        self.page_size = page_size
        self.sort_key = "date"
        self.descending = True
        self._next: Any = None
        self._done = True
        self._started = False  # no query before the first reload()

    def reload(self) -> None:
        """Start again from the first page (after a filter or sort change)."""
        self._started = True
        rows, following = self.fetch(None, self.page_size)
        self.beginResetModel()
        self.rows = list(rows)
        self._next, self._done = following, following is None
        self.endResetModel()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and not self._done

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if parent.isValid() or self._done:
            return
        rows, following = self.fetch(self._next, self.page_size)
        if rows:
            self.beginInsertRows(_ROOT, len(self.rows), len(self.rows) + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        self._next, self._done = following, following is None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort if 0 <= column < len(self.columns) else None
        if key is None:
            return
        self.sort_key, self.descending = key, order == Qt.SortOrder.DescendingOrder
        if self._started:
            self.reload()
