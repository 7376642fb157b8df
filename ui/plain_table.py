"""The plain read-only table of the list dialogs and the records page: whole rows selected, alternating
colours, no row numbers, columns given in pixels that the user may drag wider, the last one stretched.

Unlike `ui.class_tab.table_view` (rows sized from the font, no word wrap), rows keep Qt's own height or a
fixed `row_height`: these screens looked like this before they shared it, and must go on doing so."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def plain_table(model: QAbstractItemModel, widths: Sequence[int], *, row_height: int | None = None,
                selection: QAbstractItemView.SelectionMode | None = None) -> QTableView:
    """A QTableView on `model`, column c `widths[c]` pixels wide; `selection` None keeps Qt's default mode."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if selection is not None:
        view.setSelectionMode(selection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    if row_height is not None:
        view.verticalHeader().setDefaultSectionSize(row_height)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    return view
