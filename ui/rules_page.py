"""Rule settings (规则设置): every threshold of the active rule set with its source text; a change is saved
as a new version that becomes active at once, so every report can name the rule set it applied."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import drafts, rules
from trainer.rules import RuleError, RuleSet, Threshold
from ui.row_model import RowModel

LABEL_COLUMN, VALUE_COLUMN, SOURCE_COLUMN = range(3)
HEADERS = ("规则项", "取值", "依据")
DRAFT_KEY, DRAFT_VERSION = "rules", "#version"  # the unsaved edits (trainer.drafts) and the version they were made on
CHANGED = QBrush(QColor("#fff3c4"))
INVALID = QBrush(QColor("#f4a6a6"))
INVALID_TEXT = QBrush(QColor("#8b0000"))
Index = QModelIndex | QPersistentModelIndex


class RulesModel(QAbstractTableModel):
    """The thresholds with the values being edited; changed values are tinted, invalid ones red."""

    def __init__(self) -> None:
        super().__init__()
        self.thresholds: tuple[Threshold, ...] = ()
        self.edits: dict[str, str] = {}

    def set_rules(self, rule_set: RuleSet) -> None:
        self.beginResetModel()
        self.thresholds = rule_set.thresholds
        self.edits = {}
        self.endResetModel()

    def value(self, key: str) -> str:
        return self.edits.get(key, next(t.value for t in self.thresholds if t.key == key))

    def changes(self) -> dict[str, str]:
        """Edited values that differ from the active set."""
        return {t.key: self.edits[t.key] for t in self.thresholds if self.edits.get(t.key, t.value) != t.value}

    def problems(self) -> list[tuple[Threshold, str]]:
        found = []
        for t in self.thresholds:
            if t.key in self.edits:
                try:
                    rules.validate(t.key, self.edits[t.key])
                except RuleError as exc:
                    found.append((t, str(exc)))
        return found

    def row_of(self, key: str) -> int:
        return next(i for i, t in enumerate(self.thresholds) if t.key == key)

    def _problem(self, t: Threshold) -> str | None:
        if t.key not in self.edits:
            return None
        try:
            rules.validate(t.key, self.edits[t.key])
        except RuleError as exc:
            return str(exc)
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.thresholds)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == VALUE_COLUMN else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        t, col = self.thresholds[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (t.label, self.value(t.key), t.source)[col]
        if col != VALUE_COLUMN:
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
            return None
        problem = self._problem(t)
        if role == Qt.ItemDataRole.BackgroundRole:
            if problem:
                return INVALID
            return CHANGED if self.value(t.key) != t.value else None
        if role == Qt.ItemDataRole.ForegroundRole and problem:
            return INVALID_TEXT
        if role == Qt.ItemDataRole.ToolTipRole:
            if problem:
                return problem
            return f"原值：{t.value}" if self.value(t.key) != t.value else "双击修改"
        if role == Qt.ItemDataRole.FontRole and self.value(t.key) != t.value:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter.value)
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != VALUE_COLUMN:
            return False
        t = self.thresholds[index.row()]
        text = str(value).strip()
        if text == t.value:
            self.edits.pop(t.key, None)
        else:
            self.edits[t.key] = text
        self.dataChanged.emit(index, index)
        return True


class RulesPage(QWidget):
    """Emits `data_changed` after a new version is saved (compliance everywhere must follow)."""

    data_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.main_window = parent
        self.restored_from = ""  # when the edits on screen were kept from an earlier session
        self.active: RuleSet = rules.active(db)
        self._build()
        self.refresh()

    def _build(self) -> None:
        title = QLabel("规则设置")
        title.setStyleSheet("font-size:16px; font-weight:bold;")
        self.name_label = QLabel()
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel("双击“取值”修改；点击“保存为新版本”后新规则立即生效，合规检查、首页和报表都按新版本计算，"
                      "旧版本保留在右侧的历史中。有任何取值无效时不保存。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555;")

        self.model = RulesModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(LABEL_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(VALUE_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SOURCE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(LABEL_COLUMN, 300)
        header.resizeSection(VALUE_COLUMN, 120)
        # Wrapped source texts need their rows re-measured whenever the width changes.
        header.sectionResized.connect(lambda *_: self.view.resizeRowsToContents())
        self.model.dataChanged.connect(lambda *_: self._update_state())

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color:#c0392b;")
        self.save_button = QPushButton("保存为新版本")
        self.revert_button = QPushButton("撤销修改")
        self.defaults_button = QPushButton("恢复默认")
        self.defaults_button.setToolTip("把随软件提供的默认规则另存为一个新版本并启用")
        self.save_button.clicked.connect(lambda: self.save())
        self.revert_button.clicked.connect(self.revert)
        self.defaults_button.clicked.connect(lambda: self.restore_defaults())
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.defaults_button)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.view, 1)
        lv.addWidget(self.error_label)
        lv.addLayout(buttons)

        self.history_model = RowModel(("版本", "保存时间", "状态"), "LCC")
        self.history_view = QTableView()
        self.history_view.setModel(self.history_model)
        self.history_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_view.verticalHeader().setVisible(False)
        self.history_view.horizontalHeader().setStretchLastSection(True)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(QLabel("历史版本"))
        rv.addWidget(self.history_view, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 340])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.name_label)
        layout.addWidget(hint)
        layout.addWidget(splitter, 1)

    # ---- showing -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the active set; edits in progress survive unless another version became active."""
        current = rules.active(self.db)
        if current != self.active or not self.model.thresholds:
            edits = {} if current.version != self.active.version else dict(self.model.edits)
            self.active = current
            self.model.set_rules(current)
            self.model.edits = edits or self._kept_edits(current)
        self.name_label.setText(f"当前生效：<b>{current.name}</b>　版本 <b>{current.version}</b>")
        versions = rules.history(self.db)
        self.history_model.set_rows(versions, [(v, when.replace("T", " "), "当前生效" if active else "")
                                               for v, when, active in versions])
        self.history_view.resizeColumnsToContents()
        self.view.resizeRowsToContents()
        self._update_state()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.view.resizeRowsToContents()  # column widths are final only once the page is laid out

    def _kept_edits(self, current: RuleSet) -> dict[str, str]:
        """Edits left unsaved by a crash or a closed window, when they were made on the version now active."""
        draft = drafts.find(self.db, DRAFT_KEY)
        if draft is None:
            return {}
        if draft.fields.get(DRAFT_VERSION) != str(current.version):  # made on a version no longer active
            drafts.drop(self.db, DRAFT_KEY)
            return {}
        keys = {t.key for t in current.thresholds}
        self.restored_from = draft.when()
        return {k: v for k, v in draft.fields.items() if k in keys}

    def _keep_draft(self) -> None:
        """Every edit is kept until saved or reverted, so a crash or a power cut loses none of them."""
        if self.model.edits:
            drafts.keep(self.db, DRAFT_KEY, "规则设置", {**self.model.edits, DRAFT_VERSION: str(self.active.version)})
        else:
            drafts.drop(self.db, DRAFT_KEY)
            self.restored_from = ""

    def _update_state(self) -> None:
        self._keep_draft()
        changes = self.model.changes()
        problems = self.model.problems()
        self.save_button.setEnabled(bool(changes))
        self.revert_button.setEnabled(bool(self.model.edits))
        if problems:
            self.error_label.setText(self._problem_text(problems))
        elif changes:
            restored = f"（含 {self.restored_from} 未保存的修改，已恢复）" if self.restored_from else ""
            self.error_label.setText(f"已修改 {len(changes)} 项，尚未保存。{restored}")
        else:
            self.error_label.setText("")
        self.error_label.setStyleSheet("color:#c0392b;" if problems else "color:#555;")

    @staticmethod
    def _problem_text(problems: Sequence[tuple[Threshold, str]]) -> str:
        return "\n".join(f"{t.label}：{message}" for t, message in problems)

    def set_value(self, key: str, text: str) -> None:
        """Type a value into a threshold's cell (as the delegate would)."""
        self.model.setData(self.model.index(self.model.row_of(key), VALUE_COLUMN), text)

    # ---- saving --------------------------------------------------------------------------------------

    def save(self) -> RuleSet | None:
        """Validate every edited value; save them as a new active version, or nothing at all."""
        problems = self.model.problems()
        if problems:
            self.show_error("以下取值无效，未保存任何修改：\n" + self._problem_text(problems))
            return None
        changes = self.model.changes()
        if not changes:
            return None
        try:
            saved = rules.save_changes(self.db, changes)
        except RuleError as exc:
            self.show_error(f"未保存：{exc}")
            return None
        self._saved(saved, f"已保存为新版本 {saved.version}，并已生效。")
        return saved

    def revert(self) -> None:
        self.model.set_rules(self.active)
        self.view.resizeRowsToContents()
        self._update_state()

    def restore_defaults(self) -> RuleSet | None:
        """Save the shipped defaults as a new version (the history keeps every earlier one)."""
        default = rules.shipped_default()
        keys = {t.key for t in self.active.thresholds}
        values = {t.key: t.value for t in default.thresholds if t.key in keys}
        current = {t.key: t.value for t in self.active.thresholds}
        if values == {k: current[k] for k in values} and self.active.name == default.name:
            self.revert()
            self.show_info("恢复默认", "当前生效的规则已与默认规则相同，无需另存。")
            return None
        if not self.confirm("恢复默认", "把随软件提供的默认规则另存为新版本并立即生效吗？\n未保存的修改将被放弃。"):
            return None
        saved = rules.save_changes(self.db, values, name=default.name)
        self._saved(saved, f"已恢复默认规则，保存为新版本 {saved.version}，并已生效。")
        return saved

    def _saved(self, saved: RuleSet, message: str) -> None:
        self.active = saved
        self.model.set_rules(saved)
        self.refresh()
        self.data_changed.emit()
        self.show_info("规则设置", message)

    # ---- questions and messages (tests replace these) ------------------------------------------------------

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, "规则设置", text)

    def show_info(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)
