"""Helpers for the tests of the 技能比武 page: prompts that answer instead of the user, the page shown on a
database, an item opened in the entry grid, and keys typed into it as a clerk types them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prompt_support import ScriptedPrompts
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QLineEdit
from sqlite_utils import Database

from ui.contest_page import ContestPage


def shown_page(qtbot: Any, db: Database, folder: Path, today: dt.date | None = None) -> ContestPage:
    """The 技能比武 page at 1500×900, shown, its prompts scripted (files go to `folder`)."""
    p = ContestPage(db, today=today)
    qtbot.addWidget(p)
    p.resize(1500, 900)
    p.show()
    p.prompts = ScriptedPrompts(p, folder)
    return p


def type_keys(view: QAbstractItemView, text: str, between: Callable[[], object] | None = None) -> None:
    """Keys as a clerk types them: to the open cell editor if any, else to the grid (a digit opens the editor);
    `between` runs after each key (a short pause)."""
    for ch in text:
        editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
        target = editors[0] if view.state() == QAbstractItemView.State.EditingState and editors else view
        if ch == "\r":
            QTest.keyClick(target, Qt.Key.Key_Return)
        else:
            QTest.keyClick(target, ch)
        if between is not None:
            between()


def open_item(page: ContestPage, name: str, page_key: str | None = None):
    """The entry tab with the item called `name` open in the grid; returns (tab, item)."""
    page.tabs.setCurrentWidget(page.entry_tab)
    tab = page.entry_tab
    item = next(it for it in tab.ctx.items.values() if it.name == name)
    tab.select_item(item.id, page_key)
    return tab, item
