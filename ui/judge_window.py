"""Judge mode (`trainer-gui --judge KIT`): the one window a judge sees on their own laptop.

Keyboard first and large: type the draw number (or a blind item's code), Enter, the score (or each criterion
of a 评分细则 item), Enter. Each accepted value is committed by JudgeSession before the field moves on, so a
crash loses at most the value being typed. A value is checked as it is typed and the Chinese reason shown;
Enter on a refused value saves nothing. An empty field is "not scored", never 0. After 提交 the sheet is
read-only until the chief judge reopens it with the kit's 8-digit reopen code (重开码, read on the main laptop
under 查看评委重开码; a kit of the previous version asks for the chief judge's PIN instead). The window shows only
this judge's own sheet.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from trainer import contest
from trainer.contest import ContestError
from trainer.contest_values import fmt_decimal
from trainer.judge_kit import KitCriterion, KitItem
from trainer.judge_session import EntryRefused, JudgeSession, JudgeSessionError, Submission, Unscored
from trainer.score_file import ScoreFileError
from ui.class_tab import ERROR_STYLE, NOTE_STYLE, OK_STYLE, table_view
from ui.judge_submit import ReviewDialog, print_sheet
from ui.pin_dialog import PinDialog
from ui.prompts import Prompts
from ui.row_model import OBJECT_ROLE, RowModel

BASE_PT = 15
ENTRY_PT = 26
HASH_PT = 22
BAD_FIELD = "QLineEdit { border: 2px solid #c0392b; background: #fdecea; }"
READ_ONLY_STYLE = "background:#fff6e0; border:1px solid #e6c66e; color:#6b4e00; padding:8px;"
HINT = "输入{label}后按回车，再输入分数按回车即保存；空白为“未评分”（不是0分）。"


def _font(widget: QWidget, points: int, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPointSize(points)
    font.setBold(bold)
    widget.setFont(font)


class JudgeWindow(QMainWindow):
    def __init__(self, session: JudgeSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.kit = session.kit
        self.prompts = Prompts(self)
        self.current_key: str | None = None  # the competitor whose values the score fields hold
        self.setWindowTitle(f"评委评分 — {self.kit.title}")
        _font(self, BASE_PT)
        screen = self.screen().availableGeometry() if self.screen() else None  # a judge's laptop may be 1366×768
        self.resize(min(1400, int(screen.width() * 0.95)) if screen else 1400,
                    min(900, int(screen.height() * 0.9)) if screen else 900)

        self.title_label = QLabel(f"{self.kit.contest_name}　评委 {self.kit.judge_code} {self.kit.judge_name}")
        _font(self.title_label, BASE_PT + 5, bold=True)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.state_label.setStyleSheet(READ_ONLY_STYLE)
        _font(self.state_label, BASE_PT)
        self.hash_label = QLabel()
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        _font(self.hash_label, HASH_PT, bold=True)
        self.hash_label.setWordWrap(True)

        self.item_combo = QComboBox()
        for item in self.kit.items:
            self.item_combo.addItem(f"{item.name}（{item.method}，{len(item.keys)}人）", item.id)
        self.key_caption = QLabel()
        self.key_edit = QLineEdit()
        _font(self.key_edit, ENTRY_PT, bold=True)
        self.key_edit.setMaxLength(12)
        self.key_edit.setFixedWidth(220)
        self.score_grid = QGridLayout()
        self.score_edits: list[QLineEdit] = []
        self.score_criteria: list[KitCriterion | None] = []
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        _font(self.message_label, BASE_PT + 2)
        self.message_label.setStyleSheet(NOTE_STYLE)

        self.model = RowModel(["编号", "分数", "状态"], "CRC")
        self.view = table_view()
        self.view.setModel(self.model)
        self.view.verticalHeader().setDefaultSectionSize(36)
        self.view.doubleClicked.connect(lambda index: self.load_key(self.model.object_at(index.row())))
        self.unscored_title = QLabel()
        _font(self.unscored_title, BASE_PT + 1, bold=True)
        self.unscored_list = QListWidget()
        self.unscored_list.itemActivated.connect(self._jump)
        self.unscored_list.itemClicked.connect(self._jump)

        self.submit_button = QPushButton("提交…")
        self.print_button = QPushButton("打印评分表…")
        self.reopen_button = QPushButton(f"重新打开（裁判长{self.kit.reopen_secret_name}）…")
        self.reopen_dialog: PinDialog | None = None  # the last one opened (tests answer it)
        for button in (self.submit_button, self.print_button, self.reopen_button):
            button.setMinimumHeight(44)
        self.submit_button.clicked.connect(self.review_and_submit)
        self.print_button.clicked.connect(self.print_sheet)
        self.reopen_button.clicked.connect(self.ask_reopen)
        self.item_combo.currentIndexChanged.connect(lambda _i: self._item_changed())
        self.key_edit.returnPressed.connect(self.choose_key)
        self.key_edit.textEdited.connect(lambda _t: self._key_edited())

        self._layout()
        self._item_changed()
        self.refresh()
        if self.session.values() and not self.session.read_only:
            self.say(f"已接续上次的评分：已评 {len(self.session.values())} 格，都已保存在本机。", OK_STYLE)
        QTimer.singleShot(0, self.key_edit.setFocus)

    # ---- layout ------------------------------------------------------------------------------------

    def _layout(self) -> None:
        entry = QFrame()
        entry.setFrameShape(QFrame.Shape.StyledPanel)
        form = QHBoxLayout(entry)
        key_box = QVBoxLayout()
        key_box.addWidget(self.key_caption)
        key_box.addWidget(self.key_edit)
        key_box.addStretch(1)
        form.addLayout(key_box)
        form.addSpacing(24)
        form.addLayout(self.score_grid)
        form.addStretch(1)

        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel("项目："))
        top.addWidget(self.item_combo, 1)
        lbox.addLayout(top)
        lbox.addWidget(entry)
        lbox.addWidget(self.message_label)
        lbox.addWidget(self.view, 1)

        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 0, 0, 0)
        rbox.addWidget(self.unscored_title)
        rbox.addWidget(self.unscored_list, 1)
        for button in (self.submit_button, self.print_button, self.reopen_button):
            rbox.addWidget(button)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([1000, 380])

        central = QWidget()
        box = QVBoxLayout(central)
        box.addWidget(self.title_label)
        box.addWidget(self.state_label)
        box.addWidget(self.hash_label)
        box.addWidget(split, 1)
        self.setCentralWidget(central)

    def item(self) -> KitItem:
        item = self.kit.item(int(self.item_combo.currentData()))
        assert item is not None
        return item

    def _item_changed(self) -> None:
        item = self.item()
        self.key_caption.setText(f"{item.key_label}：")
        self.key_edit.setPlaceholderText(item.key_label)
        self.say(HINT.format(label=item.key_label))
        while self.score_grid.count():
            taken = self.score_grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:  # hidden at once: deleteLater alone would paint it under the new captions
                widget.hide()
                widget.deleteLater()
        self.score_edits, self.score_criteria = [], []
        criteria: list[KitCriterion | None] = list(item.criteria) if item.method == contest.RUBRIC else [None]
        for column, crit in enumerate(criteria):
            top = crit.max_points if crit else item.full_marks
            caption = QLabel(f"{crit.name if crit else '分数'}（0–{fmt_decimal(top)}）")
            _font(caption, BASE_PT)
            edit = QLineEdit()
            _font(edit, ENTRY_PT, bold=True)
            edit.setFixedWidth(150)
            edit.setPlaceholderText("未评分")
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.textEdited.connect(lambda _t, i=column: self._live_check(i))
            edit.returnPressed.connect(lambda i=column: self.accept_value(i))
            self.score_grid.addWidget(caption, 0, column)
            self.score_grid.addWidget(edit, 1, column)
            caption.show()  # now, not at the next event loop turn: focus can only go to a visible field
            edit.show()
            self.score_edits.append(edit)
            self.score_criteria.append(crit)
        headers = [item.key_label, *(c.name if c else "分数" for c in criteria), "状态"]
        self.model = RowModel(headers, "C" + "R" * len(criteria) + "C")
        self.view.setModel(self.model)
        self.current_key = None
        self.key_edit.clear()
        self.refresh_sheet()
        self._set_editable(not self.session.read_only)

    # ---- refreshing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.refresh_sheet()
        self.refresh_unscored()
        self.refresh_state()

    def refresh_sheet(self) -> None:
        item = self.item()
        have = self.session.values()
        criteria = [c.id for c in item.criteria] if item.method == contest.RUBRIC else [0]
        cells, keys = [], []
        for key in item.keys:
            values = [have.get((item.id, key, c)) for c in criteria]
            missing = sum(v is None for v in values)
            state = "已评" if not missing else ("未评分" if missing == len(values) else f"缺{missing}项")
            cells.append([key, *("" if v is None else fmt_decimal(v) for v in values), state])
        keys = [[i, *c[1:]] for i, c in enumerate(cells)]
        self.model.set_rows(list(item.keys), cells, keys)
        header = self.view.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.resizeSection(column, 150 if column else 140)

    def refresh_unscored(self) -> None:
        left = self.session.unscored()
        self.unscored_list.clear()
        for u in left:
            entry = QListWidgetItem(u.line())
            entry.setData(OBJECT_ROLE, u)
            self.unscored_list.addItem(entry)
        total = len(self.kit.items) and sum(len(it.keys) for it in self.kit.items)
        self.unscored_title.setText(f"尚未评分：{len(left)} 人次（共 {total}）" if left else "全部已评分 ✓")

    def refresh_state(self) -> None:
        done = self.session.submissions()
        read_only = self.session.read_only
        if read_only and done:
            last = done[-1]
            self.state_label.setText(f"已提交（第{last.revision}次，{last.submitted_at[:19].replace('T', ' ')}），"
                                     f"评分表现为只读。评分文件：{last.path}\n"
                                     f"如需修改，请裁判长输入{self.kit.reopen_secret_name}重新打开。")
            self.hash_label.setText(f"内容校验码：{last.hash_text}")
        elif done:
            self.state_label.setText(f"已由裁判长重新打开（上次为第{done[-1].revision}次提交），修改后请再次提交。")
            self.hash_label.setText("")
        self.state_label.setVisible(bool(done))
        self.hash_label.setVisible(read_only and bool(done))
        self.submit_button.setEnabled(not read_only)
        self.print_button.setEnabled(read_only and bool(done))
        self.reopen_button.setVisible(read_only)
        self._set_editable(not read_only)

    def _set_editable(self, on: bool) -> None:
        self.key_edit.setReadOnly(not on)
        for edit in self.score_edits:
            edit.setReadOnly(not on)

    # ---- entry -------------------------------------------------------------------------------------

    def say(self, text: str, style: str = NOTE_STYLE) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(style)

    def _key_edited(self) -> None:
        if self.current_key is not None:  # typing another competitor: the fields no longer belong to anyone
            self.current_key = None
            for edit in self.score_edits:
                edit.clear()
                edit.setStyleSheet("")

    def choose_key(self) -> bool:
        """Enter in the key field: the competitor's values into the score fields, focus on the first."""
        if self.session.read_only:
            self.say(f"评分表已提交，现为只读；如需修改，请裁判长输入{self.kit.reopen_secret_name}重新打开。",
                     ERROR_STYLE)
            return False
        item = self.item()
        try:
            _slot, key = self.session.rules.slot(item.id, self.key_edit.text(), self._crit_id(0))
        except EntryRefused as exc:
            self.say(str(exc), ERROR_STYLE)
            self.key_edit.selectAll()
            return False
        self.current_key = key
        self.key_edit.setText(key)
        for i, edit in enumerate(self.score_edits):
            value = self.session.value(item.id, key, self._crit_id(i))
            edit.setText("" if value is None else fmt_decimal(value))
            edit.setStyleSheet("")
        self.say(f"{item.key_label}{key}：请输入{'各项细则' if len(self.score_edits) > 1 else '分数'}，回车保存。")
        self.score_edits[0].setFocus()
        self.score_edits[0].selectAll()
        self._select_row(key)
        return True

    def load_key(self, key: str) -> None:
        self.key_edit.setText(key)
        self.choose_key()

    def _crit_id(self, index: int) -> int | None:
        crit = self.score_criteria[index]
        return crit.id if crit else None

    def _live_check(self, index: int) -> None:
        edit = self.score_edits[index]
        text = edit.text().strip()
        if not text:
            edit.setStyleSheet("")
            self.say("空白 = 未评分（不是0分）。")
            return
        try:
            self.session.check(self.item().id, self.current_key or self.key_edit.text(), text, self._crit_id(index))
        except EntryRefused as exc:
            edit.setStyleSheet(BAD_FIELD)
            self.say(f"不能接受：{exc}", ERROR_STYLE)
            return
        edit.setStyleSheet("")
        self.say("回车保存。")

    def accept_value(self, index: int) -> bool:
        """Enter in a score field: save it (committed at once), then the next criterion or the next competitor."""
        if self.current_key is None and not self.choose_key():
            return False
        item, key = self.item(), self.current_key
        assert key is not None
        edit, crit_id = self.score_edits[index], self._crit_id(index)
        text = edit.text().strip()
        try:
            value: Decimal | None = None
            if text:
                value = self.session.enter(item.id, key, text, crit_id)
                done = f"已保存：{item.key_label}{key} {self._crit_name(index)}{fmt_decimal(value)}"
            else:
                cleared = self.session.clear(item.id, key, crit_id)
                what = "已清除，恢复为未评分" if cleared else "未评分"
                done = f"{item.key_label}{key} {self._crit_name(index)}{what}"
        except JudgeSessionError as exc:
            edit.setStyleSheet(BAD_FIELD)
            self.say(f"未保存：{exc}", ERROR_STYLE)
            edit.selectAll()
            return False
        edit.setStyleSheet("")
        edit.setText("" if value is None else fmt_decimal(value))
        self.say(done, OK_STYLE)
        self.refresh_sheet()
        self.refresh_unscored()
        if index + 1 < len(self.score_edits):
            self.score_edits[index + 1].setFocus()
            self.score_edits[index + 1].selectAll()
        else:
            self._next_competitor()
        return True

    def _crit_name(self, index: int) -> str:
        crit = self.score_criteria[index]
        return f"{crit.name} " if crit else ""

    def _next_competitor(self) -> None:
        self.current_key = None
        self.key_edit.clear()
        for edit in self.score_edits:
            edit.clear()
        self.key_edit.setFocus()

    def _select_row(self, key: str) -> None:
        keys = self.model.objects()
        if key in keys:
            self.view.selectRow(keys.index(key))

    def _jump(self, entry: QListWidgetItem) -> None:
        u: Unscored = entry.data(OBJECT_ROLE)
        index = self.item_combo.findData(u.item.id)
        if index != self.item_combo.currentIndex():
            self.item_combo.setCurrentIndex(index)
        if not self.session.read_only:
            self.load_key(u.key)

    # ---- submit, print, reopen ---------------------------------------------------------------------

    def review(self) -> bool:
        """The review screen before submitting; True to go on and choose the folder."""
        return bool(ReviewDialog(self.session, self).exec())

    def review_and_submit(self) -> None:
        if self.session.read_only or not self.review():
            return
        folder = self.prompts.folder_path("选择保存评分文件的文件夹（如U盘）")
        if folder:
            self.submit_to(Path(folder))

    def submit_to(self, folder: Path) -> Submission | None:
        try:
            done = self.session.submit(folder)
        except (JudgeSessionError, ScoreFileError) as exc:
            self.prompts.refuse("提交失败", f"评分文件未能写入，评分表仍可修改：\n{exc}")
            return None
        self._next_competitor()
        self.refresh()
        self.say(f"已提交：评分文件已写入 {done.path}。请把校验码抄在纸质评分表上并签字，或点“打印评分表”。",
                 OK_STYLE)
        return done

    def print_sheet(self) -> None:
        print_sheet(self, self.session, self.prompts)

    def reopen_with(self, typed: str) -> str | None:
        """The reopen code (or an old kit's PIN); None when the sheet was reopened, else the refusal (wrong,
        not 8 digits, locked out)."""
        try:
            self.session.reopen(typed)
        except JudgeSessionError as exc:
            return str(exc)
        self.refresh()
        self.say("裁判长已重新打开评分表：修改后请再次提交。", OK_STYLE)
        self.key_edit.setFocus()
        return None

    def ask_reopen(self) -> None:
        def action(typed: str, _reason: str) -> object:
            refused = self.reopen_with(typed)
            if refused is not None:
                raise ContestError(refused)
            return True

        intro = "评分表已提交。重新打开后可修改，须再次提交（产生新的评分文件）。"
        if not self.kit.reopens_with_pin:
            intro += (f"\n请裁判长在主机“查看评委重开码”中取得本评委的8位重开码。"
                      f"\n本评委：{self.kit.judge_code} {self.kit.judge_name}　{self.kit.label}")
        dialog = PinDialog("重新打开评分表", intro, action, ok_text="重新打开", parent=self)
        _font(dialog, BASE_PT)  # the judge's large type, as in the rest of the window
        dialog.setMinimumWidth(720)
        if not self.kit.reopens_with_pin:
            # digits shown as typed: the code opens only this sheet and the judge's kit holds its key anyway
            dialog.pin_edit.setEchoMode(QLineEdit.EchoMode.Normal)
            dialog.pin_edit.setPlaceholderText("8位数字")
            form = dialog.findChild(QFormLayout)
            label = form.labelForField(dialog.pin_edit) if form is not None else None
            if isinstance(label, QLabel):
                label.setText("重开码：")
        self.reopen_dialog = dialog
        dialog.open()
