"""The 考勤 tab: one session's members × status, typed from the signed sheet at keyboard speed.

Keys 1–5 (or C L Z J Q) set 出勤 / 迟到 / 早退 / 请假 / 缺勤 on the selected rows and move to the next
line; Delete clears; ↑ ↓ and Enter move. Every key is written to the database at once, so nothing typed
is lost if the window closes. 全部出勤 marks everyone still unmarked. Excel import and template below.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import training
from trainer.class_roster import Member, members
from trainer.rules import ATTENDANCE_STATUSES
from trainer.training import Session, TrainingError
from ui.class_sessions_tab import session_label
from ui.class_tab import (
    ERROR_STYLE,
    NOTE_STYLE,
    ClassTab,
    Host,
    fit_columns,
    longest_unit_name,
    note_label,
    table_view,
)
from ui.table_model import ObjectTableModel

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("序号", "姓名", "单位", "考勤")
COL_NO, COL_NAME, COL_UNIT, COL_STATUS = range(4)
UNMARKED = "未登记"
STATUS_KEYS: dict[int, str] = {}
for _n, _status in enumerate(ATTENDANCE_STATUSES):
    STATUS_KEYS[int(Qt.Key.Key_1) + _n] = _status
STATUS_KEYS.update({int(Qt.Key.Key_C): "出勤", int(Qt.Key.Key_L): "迟到", int(Qt.Key.Key_Z): "早退",
                    int(Qt.Key.Key_J): "请假", int(Qt.Key.Key_Q): "缺勤"})
CLEAR_KEYS = {int(Qt.Key.Key_Delete), int(Qt.Key.Key_Backspace), int(Qt.Key.Key_0)}
DOWN_KEYS = {int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter)}
STATUS_COLOURS = {"出勤": ("#1b7f3b", "#e8f5ec"), "迟到": ("#9a6700", "#fff4d6"), "早退": ("#9a6700", "#fff4d6"),
                  "请假": ("#1f5fa8", "#eaf1fb"), "缺勤": ("#b03a2e", "#fdecea"), UNMARKED: ("#8a8a8a", None)}
KEY_HINT = "键盘：1 出勤　2 迟到　3 早退　4 请假　5 缺勤（或 C L Z J Q）　Delete 清除　↑↓ / Enter 移动　Shift 可多选"
AHEAD = "（未到日期）"
AHEAD_HINT = "<span style='color:#9a6700'>这节课还未到日期：请假可以提前登记；登记其他考勤前会先请您确认。</span>"


class AttendanceModel(ObjectTableModel):
    """Members of the class with their mark for one session; `mark` writes straight to the database."""

    _rows: list[Member]

    failed = Signal(str)

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(HEADERS, parent)
        self.db = db
        self.session_id: int | None = None
        self._marks: dict[int, str] = {}
        self.may_mark: Callable[[str | None], bool] = lambda _status: True  # the tab asks about early marks
        self._bold = QFont()
        self._bold.setBold(True)

    def load(self, rows: Sequence[Member], session_id: int | None) -> None:
        self.beginResetModel()
        self._rows, self.session_id = list(rows), session_id
        self._marks = training.attendance(self.db, session_id) if session_id is not None else {}
        self.endResetModel()

    def status_of(self, row: int) -> str | None:
        return self._marks.get(self._rows[row].person_id)

    def counts(self) -> Counter[str]:
        return Counter(self._marks.get(m.person_id, UNMARKED) for m in self._rows)

    def mark(self, rows: Sequence[int], status: str | None) -> bool:
        """Set (None: clear) the status of `rows` in the database, then on screen; False if refused."""
        if self.session_id is None or not rows or not self.may_mark(status):
            return False
        ids = [self._rows[r].person_id for r in rows]
        try:
            training.set_attendance(self.db, self.session_id, dict.fromkeys(ids, status))
        except TrainingError as exc:
            self.failed.emit(str(exc))
            return False
        for pid in ids:
            if status is None:
                self._marks.pop(pid, None)
            else:
                self._marks[pid] = status
        self.dataChanged.emit(self.index(min(rows), COL_STATUS), self.index(max(rows), COL_STATUS))
        return True

    def unmarked_rows(self) -> list[int]:
        return [r for r, m in enumerate(self._rows) if m.person_id not in self._marks]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m, col = self._rows[index.row()], index.column()
        status = self._marks.get(m.person_id, UNMARKED)
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(index.row() + 1), m.person.name, m.unit, status)[col]
        if col == COL_STATUS:
            fg, bg = STATUS_COLOURS[status]
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(fg))
            if role == Qt.ItemDataRole.BackgroundRole and bg:
                return QBrush(QColor(bg))
            if role == Qt.ItemDataRole.FontRole and status != UNMARKED:
                return self._bold
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        elif col == COL_NO and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class AttendanceView(QTableView):
    """Turns status keys into marks on the selected rows and moves on to the next line."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.model()
        key = int(event.key())
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if not isinstance(model, AttendanceModel) or modifiers not in (Qt.KeyboardModifier.NoModifier,):
            super().keyPressEvent(event)
            return
        if key in STATUS_KEYS or key in CLEAR_KEYS:
            rows = self.target_rows()
            if rows and model.mark(rows, STATUS_KEYS.get(key)):
                self.go_to(max(rows) + 1)
            event.accept()
        elif key in DOWN_KEYS:
            self.go_to(self.currentIndex().row() + 1)
            event.accept()
        else:
            super().keyPressEvent(event)

    def target_rows(self) -> list[int]:
        selected = sorted(i.row() for i in self.selectionModel().selectedRows())
        current = self.currentIndex().row()
        if current >= 0 and current not in selected:
            return [current]
        return selected

    def go_to(self, row: int) -> None:
        model = self.model()
        row = min(max(row, 0), model.rowCount() - 1)
        if row < 0:
            return
        index = model.index(row, COL_STATUS)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.selectionModel().setCurrentIndex(index, flags)
        self.scrollTo(index)


class AttendanceTab(ClassTab):
    bursts = True

    def __init__(self, db: Database, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(db, host, parent)
        self.sessions: list[Session] = []
        self._early_confirmed: set[int] = set()  # sessions ahead of their day the officer said to mark anyway
        self.session_combo = QComboBox()
        self.session_combo.setMinimumContentsLength(36)
        self.prev_button = QPushButton("◀ 上一节")
        self.next_button = QPushButton("下一节 ▶")
        top = QHBoxLayout()
        top.addWidget(QLabel("课程："))
        top.addWidget(self.session_combo, 1)
        top.addWidget(self.prev_button)
        top.addWidget(self.next_button)

        self.model = AttendanceModel(db, self)
        self.model.may_mark = self._may_mark
        self.view = AttendanceView()
        table_view(QAbstractItemView.SelectionMode.ExtendedSelection, self.view)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.setModel(self.model)
        fit_columns(self.view, {COL_NO: "999", COL_NAME: "欧阳某某某", COL_UNIT: longest_unit_name(db),
                                COL_STATUS: "　未登记　"})
        # As wide as its columns: the status sits next to the name, not across an empty stretch.
        header = self.view.horizontalHeader()
        scroll = self.view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.view.setFixedWidth(header.length() + scroll + 2 * self.view.frameWidth() + 2)
        self.view.setTabKeyNavigation(False)

        self.counts_label = QLabel()
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.hint_label = note_label(KEY_HINT)
        self.error_label = note_label(style=ERROR_STYLE)
        self.all_present_button = QPushButton("全部出勤")
        self.all_present_button.setToolTip("把本节课尚未登记的学员都记为出勤（已登记的不变）")
        self.import_button = QPushButton("导入考勤…")
        self.template_button = QPushButton("导出考勤模板…")
        side = QVBoxLayout()
        side.addWidget(self.counts_label)
        side.addWidget(self.all_present_button)
        side.addSpacing(16)
        side.addWidget(self.import_button)
        side.addWidget(self.template_button)
        side.addWidget(note_label("模板每行一名学员、每列一节课（表头为课程日期和开始时间），单元格填写出勤、迟到、早退、"
                                  "请假或缺勤；空白单元格不改变已有考勤。"))
        side.addStretch(1)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setMaximumWidth(380)
        middle = QHBoxLayout()
        middle.addWidget(self.view)
        middle.addSpacing(12)
        middle.addWidget(side_box)
        middle.addStretch(1)

        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.hint_label)
        box.addLayout(middle, 1)
        box.addWidget(self.error_label)

        self.session_combo.currentIndexChanged.connect(self._session_chosen)
        self.prev_button.clicked.connect(lambda: self.step_session(-1))
        self.next_button.clicked.connect(lambda: self.step_session(1))
        self.all_present_button.clicked.connect(self.mark_rest_present)
        self.import_button.clicked.connect(self.import_attendance)
        self.template_button.clicked.connect(self.export_template)
        self.model.dataChanged.connect(self._marked)
        self.model.failed.connect(self.error_label.setText)
        self.counts_label.setStyleSheet(NOTE_STYLE)

    # ---- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        keep = self.session_id
        self.sessions = training.sessions(self.db, self.class_id) if self.cls else []
        self.session_combo.blockSignals(True)
        self.session_combo.clear()
        for s in self.sessions:
            self.session_combo.addItem(session_label(s) + (AHEAD if s.date > self.host.today else ""), s.id)
        index = self.session_combo.findData(keep) if keep is not None else -1
        self.session_combo.setCurrentIndex(index if index >= 0 else (0 if self.sessions else -1))
        self.session_combo.blockSignals(False)
        self._session_chosen()

    @property
    def session_id(self) -> int | None:
        value = self.session_combo.currentData()
        return int(value) if value is not None else None

    @property
    def session(self) -> Session | None:
        return next((s for s in self.sessions if s.id == self.session_id), None)

    def select_session(self, session_id: int) -> None:
        index = self.session_combo.findData(session_id)
        if index >= 0:
            self.session_combo.setCurrentIndex(index)

    def step_session(self, step: int) -> None:
        index = self.session_combo.currentIndex() + step
        if 0 <= index < self.session_combo.count():
            self.session_combo.setCurrentIndex(index)
            self.view.setFocus()

    def _session_chosen(self, *_: object) -> None:
        rows = members(self.db, self.class_id) if self.cls and self.session_id is not None else []
        self.model.load(rows, self.session_id)
        self.error_label.clear()
        index = self.session_combo.currentIndex()
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(0 <= index < self.session_combo.count() - 1)
        has = self.session_id is not None
        for b in (self.all_present_button, self.import_button, self.template_button):
            b.setEnabled(self.cls is not None and (has or b is not self.all_present_button))
        ahead = self.session is not None and self.session.date > self.host.today
        self.hint_label.setText((KEY_HINT + ("<br>" + AHEAD_HINT if ahead else "")) if has
                                else ("请先在“课程”页添加课程" if self.cls else ""))
        self._update_counts()
        if rows and has:
            self.view.go_to(0)

    # ---- marking ---------------------------------------------------------------------------------

    def _marked(self, *_: object) -> None:
        self.error_label.clear()
        self._update_counts()
        self.changed.emit()

    def _update_counts(self) -> None:
        self.all_present_button.setEnabled(self.session_id is not None and bool(self.model.unmarked_rows()))
        if self.session_id is None:
            self.counts_label.setText("")
            return
        c = self.model.counts()
        parts = []
        for status in (*ATTENDANCE_STATUSES, UNMARKED):
            colour = STATUS_COLOURS[status][0]
            parts.append(f"<span style='color:{colour}'>{status} <b>{c.get(status, 0)}</b></span>")
        self.counts_label.setText(f"本节应到 {self.model.rowCount()} 人<br>" + "　".join(parts[:3]) + "<br>"
                                  + "　".join(parts[3:]))

    def _may_mark(self, status: str | None) -> bool:
        """Marks for a session ahead of its day: asked once per session (training.early_mark_warning)."""
        s = self.session
        warning = training.early_mark_warning(s, status, self.host.today) if s is not None else ""
        if not warning or s is None or s.id in self._early_confirmed:
            return True
        if not self.host.prompts.confirm("登记考勤", f"{warning}\n\n仍要登记？（本节课不再询问）", yes="仍要登记"):
            return False
        self._early_confirmed.add(int(s.id or 0))
        return True

    def mark_rest_present(self) -> None:
        rows = self.model.unmarked_rows()
        if rows:
            self.model.mark(rows, "出勤")

    # ---- Excel -----------------------------------------------------------------------------------

    def export_template(self) -> None:
        if self.cls is None:
            return
        from exports.class_pdfs import safe_file_name
        from exports.excel import Sheet, write_xlsx
        from trainer.attendance_import import template

        path = self.host.prompts.save_path("导出考勤模板", f"考勤_{safe_file_name(self.cls.title)}.xlsx",
                                           "Excel 工作簿 (*.xlsx)", ".xlsx")
        if not path:
            return
        headers, rows = template(self.db, self.class_id)
        try:
            write_xlsx(path, [Sheet("考勤", headers, rows)])
        except Exception as exc:  # xlsxwriter wraps a locked file in its own error type
            self.host.prompts.refuse("导出考勤模板", f"无法写入 {path}（文件是否正在 Excel 中打开？）\n{exc}")
            return
        self.host.prompts.saved("导出考勤模板", path)

    def import_attendance(self, path: str | None = None) -> None:
        if self.cls is None:
            return
        from ui.attendance_import_dialog import AttendanceImportDialog

        dialog = AttendanceImportDialog(self.db, self.cls, self.host.prompts, self, today=self.host.today)
        dialog.imported.connect(self._imported)
        self.host.open_dialog(dialog)
        if path:
            dialog.load(path)

    def _imported(self, _count: int) -> None:
        self._session_chosen()
        self.changed.emit()
