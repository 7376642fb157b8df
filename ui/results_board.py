"""成绩大屏: a full-screen window for the venue's projector.

While scoring it shows the contest's name, a clock, one progress bar per item (scoring.progress) and how many
competitors have every score in. Once the chief judge has released the ranking (trainer.contest_release) it
shows the ranking instead: 名次, 抽签号, 姓名, 单位, 总分, the top three highlighted, paging by itself every
few seconds through a long list, then the team ranking.

It reads every REFRESH_MS through ui.worker.run_reader on a connection of its own in query-only mode, so it
never blocks the window and follows scores typed on this laptop or merged from judges' files. Before the
release the snapshot holds no competitor at all, so no name of a blind item can reach the screen early.

F11 toggles full screen and Esc leaves it. With a second screen (the projector) it opens full screen there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QFont, QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import contest_release
from trainer.contest_release import Board, BoardRow, ItemBar, TeamRow
from trainer.db import connect
from ui.worker import TaskHandle, run_reader

REFRESH_MS = 2500
PAGE_SECONDS = 8
ROW_HEIGHT = 58
BACKGROUND = "#0b1626"
STYLE = f"""
QWidget#board {{ background: {BACKGROUND}; }}
QWidget {{ color: #eef2f7; background: transparent; }}
QLabel#title {{ font-size: 44px; font-weight: bold; color: #ffffff; }}
QLabel#subtitle {{ font-size: 22px; color: #9fb3c8; }}
QLabel#clock {{ font-size: 44px; font-weight: bold; color: #7fd1ff; }}
QLabel#section {{ font-size: 32px; font-weight: bold; color: #ffd54f; }}
QLabel#itemName {{ font-size: 28px; }}
QLabel#itemCount {{ font-size: 26px; color: #cfd8e3; }}
QLabel#itemState {{ font-size: 24px; color: #9fb3c8; }}
QLabel#itemState[locked="true"] {{ color: #7ee081; font-weight: bold; }}
QLabel#summary {{ font-size: 34px; font-weight: bold; color: #ffffff; }}
QLabel#footer {{ font-size: 20px; color: #7f93a8; }}
QProgressBar {{ border: 2px solid #3a5575; border-radius: 8px; background: #15263d; height: 34px; }}
QProgressBar::chunk {{ background: #2f8fdc; border-radius: 6px; }}
QProgressBar[done="true"]::chunk {{ background: #3fae5a; }}
QTableView {{ background: {BACKGROUND}; border: none; gridline-color: #22364f; font-size: 30px; }}
QTableView::item {{ padding: 0 16px; }}
QHeaderView::section {{ background: #16304f; color: #cfe3ff; font-size: 24px; font-weight: bold;
                        border: none; padding: 8px; }}
"""
MEDALS = {1: ("#5a4a0e", "#ffd54f"), 2: ("#3d454d", "#e3e9ee"), 3: ("#4d3321", "#ffb27a")}  # background, text
PERSON_HEADERS = ("名次", "抽签号", "姓名", "单位", "总分")
TEAM_HEADERS = ("名次", "代表队", "参赛人数", "团体总分")
CENTER = int(Qt.AlignmentFlag.AlignCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


def projector_screen(screens: Sequence[T]) -> T | None:
    """The screen to open on: the last one when there is more than one (the projector), else None."""
    return screens[-1] if len(screens) > 1 else None


def chunks(rows: Sequence[T], size: int) -> list[tuple[T, ...]]:
    size = max(size, 1)
    return [tuple(rows[i:i + size]) for i in range(0, len(rows), size)]


@dataclass(frozen=True)
class BoardPage:
    """One screenful of the released ranking."""
    title: str
    team: bool
    rows: tuple[BoardRow, ...] | tuple[TeamRow, ...]


class BoardModel(QAbstractTableModel):
    """The rows of the page on screen (a page is short: the texts are made when it is set)."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: tuple[str, ...] = PERSON_HEADERS
        self._cells: list[tuple[str, ...]] = []
        self._places: list[int | None] = []

    def set_page(self, page: BoardPage | None) -> None:
        self.beginResetModel()
        self._cells, self._places = [], []
        if page is not None and page.team:
            self.headers = TEAM_HEADERS
            for t in page.rows:
                assert isinstance(t, TeamRow)
                self._cells.append((str(t.place or "—"), t.name, str(t.members), t.total or t.note))
                self._places.append(t.place)
        elif page is not None:
            self.headers = PERSON_HEADERS
            for r in page.rows:
                assert isinstance(r, BoardRow)
                self._cells.append((str(r.place), r.draw_no, r.name, r.unit, r.total))
                self._places.append(r.place)
        self.endResetModel()

    def texts(self) -> list[tuple[str, ...]]:
        return list(self._cells)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        medal = MEDALS.get(self._places[r] or 0)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[r][c]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            name = self.headers[c]
            return LEFT if name in ("姓名", "单位", "代表队") else RIGHT if "总分" in name else CENTER
        if role == Qt.ItemDataRole.BackgroundRole and medal:
            return QBrush(QColor(medal[0]))
        if role == Qt.ItemDataRole.ForegroundRole and medal:
            return QBrush(QColor(medal[1]))
        if role == Qt.ItemDataRole.FontRole and medal:
            font = QFont()
            font.setBold(True)
            return font
        return None


class ItemRow:
    """One item's line on the progress page: name, bar, count, state."""

    def __init__(self, grid: QGridLayout, row: int) -> None:
        self.name = QLabel()
        self.name.setObjectName("itemName")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setMinimumHeight(34)
        self.count = QLabel()
        self.count.setObjectName("itemCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.state = QLabel()
        self.state.setObjectName("itemState")
        for col, w in enumerate((self.name, self.bar, self.count, self.state)):
            grid.addWidget(w, row, col)

    def show(self, bar: ItemBar) -> None:
        self.name.setText(bar.name)
        self.bar.setRange(0, max(bar.expected, 1))
        self.bar.setValue(min(bar.entered, max(bar.expected, 1)))
        share = f"{bar.entered * 100 // bar.expected}%" if bar.expected else "—"
        self.count.setText(f"{bar.entered} / {bar.expected}（{share}）")
        done = bar.expected > 0 and bar.entered >= bar.expected
        self.state.setText("已锁定" if bar.locked else "录入完毕" if done else "录入中")
        for w, prop, on in ((self.bar, "done", done or bar.locked), (self.state, "locked", bar.locked)):
            if w.property(prop) != on:
                w.setProperty(prop, on)
                w.style().unpolish(w)
                w.style().polish(w)

    def remove(self) -> None:
        for w in (self.name, self.bar, self.count, self.state):
            w.deleteLater()


class ResultsBoard(QWidget):
    """The projector window for one contest. `refresh()` reads now; `board` is the last snapshot shown."""

    def __init__(self, db: Database, contest_id: int, *, refresh_ms: int = REFRESH_MS,
                 page_seconds: int = PAGE_SECONDS, clock: type[dt.datetime] = dt.datetime) -> None:
        super().__init__(None)
        self.setObjectName("board")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle("成绩大屏")
        self.setStyleSheet(STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.db, self.contest_id, self._clock = db, contest_id, clock
        self._reader: Database | None = None
        self.task: TaskHandle[Board] | None = None
        self.board: Board | None = None
        self.pages: list[BoardPage] = []
        self.page_index = 0
        self.error = ""
        self._rows: list[ItemRow] = []
        self._per_page = 0

        self.title = QLabel()
        self.title.setObjectName("title")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("subtitle")
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clock")
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        head = QHBoxLayout()
        head.addLayout(titles, 1)
        head.addWidget(self.clock_label, 0, Qt.AlignmentFlag.AlignTop)

        # Scoring: progress per item.
        self.progress_title = QLabel("成绩录入进度")
        self.progress_title.setObjectName("section")
        self.items_grid = QGridLayout()
        self.items_grid.setHorizontalSpacing(28)
        self.items_grid.setVerticalSpacing(22)
        self.items_grid.setColumnStretch(1, 1)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        progress_page = QWidget()
        progress_box = QVBoxLayout(progress_page)
        progress_box.addWidget(self.progress_title)
        progress_box.addSpacing(16)
        progress_box.addLayout(self.items_grid)
        progress_box.addSpacing(30)
        progress_box.addWidget(self.summary)
        progress_box.addStretch(1)

        # Released: the ranking, page by page.
        self.ranking_title = QLabel()
        self.ranking_title.setObjectName("section")
        self.model = BoardModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setShowGrid(False)
        self.table.installEventFilter(self)
        ranking_page = QWidget()
        ranking_box = QVBoxLayout(ranking_page)
        ranking_box.addWidget(self.ranking_title)
        ranking_box.addWidget(self.table, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(progress_page)
        self.stack.addWidget(ranking_page)
        self.footer = QLabel()
        self.footer.setObjectName("footer")
        box = QVBoxLayout(self)
        box.setContentsMargins(48, 32, 48, 24)
        box.addLayout(head)
        box.addSpacing(12)
        box.addWidget(self.stack, 1)
        box.addWidget(self.footer)

        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(refresh_ms)
        self.refresh_timer.timeout.connect(self.refresh)
        self.page_timer = QTimer(self)
        self.page_timer.setInterval(page_seconds * 1000)
        self.page_timer.timeout.connect(self.next_page)
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self._tick)
        self._tick()
        self.refresh_timer.start()
        self.page_timer.start()
        self.clock_timer.start()
        self.refresh()

    # ---- where it shows --------------------------------------------------------------------------

    def present(self, screens: Sequence[QScreen] | None = None) -> None:
        """Full screen on the projector when there is a second screen, else a large window (F11 for full)."""
        target = projector_screen(list(screens) if screens is not None else QGuiApplication.screens())
        if target is not None:
            self.setScreen(target)
            self.setGeometry(target.geometry())
            self.showFullScreen()
        else:
            self.resize(1280, 800)
            self.show()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F11:
            self.toggle_full_screen()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        for timer in (self.refresh_timer, self.page_timer, self.clock_timer):
            timer.stop()
        if self.task is None or not self.task.running:
            self._close_reader()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The table's real height decides how many rows a page holds: page again when it changes.
        if watched is self.table and event.type() == QEvent.Type.Resize and self.released:
            per_page = self.rows_per_page()
            if not self.pages or per_page != self._per_page:
                self._paginate(keep=True)
            else:
                self._size_columns()
        return super().eventFilter(watched, event)

    # ---- reading ---------------------------------------------------------------------------------

    def _reader_db(self) -> Database:
        if self._reader is None:
            files = [r[2] for r in self.db.execute("PRAGMA database_list") if r[1] == "main"]
            if files and files[0]:
                reader = connect(files[0])
                reader.execute("PRAGMA query_only = ON")  # the board never writes
                self._reader = reader
            else:  # an in-memory database cannot be opened twice
                self._reader = self.db
        return self._reader

    def _close_reader(self) -> None:
        if self._reader is not None and self._reader is not self.db:
            self._reader.close()
        self._reader = None

    def refresh(self) -> None:
        """Read the contest again (the timer calls this); a read still running is not doubled."""
        if self.task is not None and self.task.running:
            return
        reader, contest_id = self._reader_db(), self.contest_id
        self.task = run_reader(self, "成绩大屏", lambda _ctx: contest_release.board(reader, contest_id),
                               self._loaded, self._failed)

    def _loaded(self, board: Board) -> None:
        if not shiboken6.isValid(self):
            return
        if not self.isVisible() and not self.refresh_timer.isActive():
            self._close_reader()  # closed while reading
            return
        self.error = ""
        was_released = self.board is not None and self.board.released
        self.board = board
        self.title.setText(board.contest_name)
        self.subtitle.setText(board.subtitle)
        if board.released:
            self.stack.setCurrentIndex(1)
            self._paginate(keep=was_released)
            self.footer.setText(f"排名已由裁判长发布（{board.released_at}）")
        else:
            self.pages, self.page_index = [], 0
            self.model.set_page(None)
            self._show_progress(board)
            self.stack.setCurrentIndex(0)
            self.footer.setText("比赛进行中，成绩录入完毕、全部项目锁定并经裁判长发布后显示排名")

    def _failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.error = str(exc)
        self.footer.setText(f"暂时无法读取成绩（{exc}），稍后自动重试")

    # ---- progress --------------------------------------------------------------------------------

    def _show_progress(self, board: Board) -> None:
        while len(self._rows) > len(board.items):
            self._rows.pop().remove()
        while len(self._rows) < len(board.items):
            self._rows.append(ItemRow(self.items_grid, len(self._rows)))
        for row, bar in zip(self._rows, board.items, strict=True):
            row.show(bar)
        self.summary.setText(f"全部项目成绩录入完毕的选手：{board.complete} / {board.competitors} 人")

    # ---- ranking pages ---------------------------------------------------------------------------

    @property
    def released(self) -> bool:
        return self.board is not None and self.board.released

    def rows_per_page(self) -> int:
        header = self.table.horizontalHeader().height() or 50
        height = self.table.height() if self.table.height() > 100 else max(self.height() - 260, 300)
        return max(5, (height - header - 4) // ROW_HEIGHT)

    def _paginate(self, keep: bool) -> None:
        if self.board is None:
            return
        per_page = self._per_page = self.rows_per_page()
        people = chunks(self.board.rows, per_page)
        teams = chunks(self.board.teams, per_page)
        pages = [BoardPage(f"个人排名（第{i + 1}/{len(people)}页）" if len(people) > 1 else "个人排名", False, p)
                 for i, p in enumerate(people)]
        pages += [BoardPage(f"团体排名（第{i + 1}/{len(teams)}页）" if len(teams) > 1 else "团体排名", True, t)
                  for i, t in enumerate(teams)]
        self.pages = pages
        self.page_index = self.page_index if keep and self.page_index < len(pages) else 0
        self._show_page()

    def next_page(self) -> None:
        if len(self.pages) > 1:
            self.page_index = (self.page_index + 1) % len(self.pages)
            self._show_page()

    def _show_page(self) -> None:
        page = self.pages[self.page_index] if self.pages else None
        self.model.set_page(page)
        self.ranking_title.setText(page.title if page else "排名")
        self._size_columns()

    def _size_columns(self) -> None:
        width = max(self.table.viewport().width(), 800)
        team = self.model.headers == TEAM_HEADERS
        shares = (0.12, 0.5, 0.16, 0.22) if team else (0.1, 0.12, 0.22, 0.38, 0.18)
        for col, share in enumerate(shares):
            self.table.setColumnWidth(col, int(width * share))

    # ---- the clock -------------------------------------------------------------------------------

    def _tick(self) -> None:
        self.clock_label.setText(self._clock.now().strftime("%H:%M:%S"))
