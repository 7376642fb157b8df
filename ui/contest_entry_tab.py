"""The 评分录入 tab: choose an item (and, for 评分细则, a criterion or a judge), then type the paper sheets into
the grid by keyboard. Every value is saved as Enter is pressed; a change to a stored value asks for the
reason the change log keeps; progress per page, per item and for the whole contest is kept current.

Paper sheets may be typed twice (第一遍录入 / 第二遍核对录入): a second clerk, named in the tab, types the same
sheets blind into contest_score_checks (scoring.enter_check) and sees only their own values. 比对两遍录入 then
colours the mismatches and lists them; the chief judge decides each one (ui.mismatch_dialog: first, second or
a new value, a reason, the PIN). A blind item that is not locked shows codes only (ui.score_grid)."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import draw, ranking, scoring
from trainer.contest import Item
from trainer.contest_values import ValueProblem, show_plain, to_milli
from trainer.scoring import EntryResult, Mismatch, ScoreError, ScoringContext, Slot
from ui.class_tab import (
    ERROR_STYLE,
    NOTE_STYLE,
    OK_STYLE,
    fit_columns,
    longest_unit_name,
    note_label,
    table_view,
)
from ui.contest_tab import ContestHost, ContestTab
from ui.row_model import RowModel
from ui.score_grid import (
    CHECK_PASS,
    CODE_COL,
    DRAW_COL,
    FIRST_PASS,
    NAME_COL,
    UNIT_COL,
    DoubleEntry,
    GridPage,
    ScoreGridModel,
    ScoreGridView,
    anonymous_rows,
    grid_pages,
)

KEY_HINT = ("键盘录入：输入分数后按回车保存并转到下一格（Tab 向右）；空白表示未评分，与0分不同；"
            "Delete 撤销已录入的成绩；修改已录入的成绩须说明原因。")
LOCKED_STYLE = "background:#fff6e0; border:1px solid #e6c66e; color:#6b4e00; padding:4px;"
CHECK_STYLE = "background:#eaf2fb; border:1px solid #9cbfe6; color:#1d4f86; padding:4px;"
CHECK_HINT = ("第二遍核对录入：请另一名录入员对照同一批纸质评分表再录一遍。表中只显示本遍录入的分数，看不到第一遍；"
              "录完后点“比对两遍录入”，不一致的格标红，由裁判长逐条裁定。")
MISMATCH_HEADERS = ("选手", "评委", "细则", "第一遍录入", "第二遍核对录入")


class EntryTab(ContestTab):
    bursts = True

    def __init__(self, db: Database, host: ContestHost, parent: QWidget | None = None) -> None:
        super().__init__(db, host, parent)
        self.ctx: ScoringContext | None = None
        self.values: dict[Slot, int] = {}  # the chosen item's stored values, kept as values are saved
        self.entered: Counter[int] = Counter()  # item id → stored values, kept as values are saved
        self.expected: dict[int, int] = {}
        self.pages: list[GridPage] = []
        self.codes: dict[int, str] = {}
        self.mismatches: dict[Slot, Mismatch] = {}
        self._revealed_item: int | None = None

        self.item_combo = QComboBox()
        self.item_combo.setMinimumContentsLength(16)
        self.page_combo = QComboBox()
        self.page_combo.setMinimumContentsLength(22)
        self.page_label = QLabel("录入方式：")
        self.deduct_button = QPushButton("扣分…")
        self.deduct_button.setToolTip("对所选选手在本项目扣分（须说明原因），在汇总后减去")
        self.import_button = QPushButton("导入成绩文件…")
        self.import_button.setToolTip("导入评委的成绩文件（.xlsx 或 .csv，列同“评分”表）：先预览问题，全部无误才写入")
        top = QHBoxLayout()
        top.addWidget(QLabel("项目："))
        top.addWidget(self.item_combo)
        top.addSpacing(12)
        top.addWidget(self.page_label)
        top.addWidget(self.page_combo)
        top.addStretch(1)
        top.addWidget(self.deduct_button)
        top.addWidget(self.import_button)

        # Double entry of paper sheets: which pass is typed, and by whom.
        self.first_radio = QRadioButton("第一遍录入")
        self.check_radio = QRadioButton("第二遍核对录入")
        self.first_radio.setChecked(True)
        self.pass_group = QButtonGroup(self)
        self.pass_group.addButton(self.first_radio)
        self.pass_group.addButton(self.check_radio)
        self.clerk_label = QLabel()
        self.check_clerk_label = QLabel("核对录入员：")
        self.check_clerk_edit = QLineEdit()
        self.check_clerk_edit.setPlaceholderText("第二名录入员姓名")
        self.check_clerk_edit.setMaximumWidth(160)
        self.check_clerk_edit.setToolTip("第二遍核对录入须由另一名录入员完成，其姓名记入审计日志")
        self.compare_button = QPushButton("比对两遍录入")
        self.compare_button.setToolTip("显示本项目两遍录入不一致之处（标红并列出），由裁判长裁定")
        passes = QHBoxLayout()
        passes.addWidget(QLabel("录入遍次："))
        passes.addWidget(self.first_radio)
        passes.addWidget(self.check_radio)
        passes.addSpacing(16)
        passes.addWidget(self.clerk_label)
        passes.addWidget(self.check_clerk_label)
        passes.addWidget(self.check_clerk_edit)
        passes.addSpacing(8)
        passes.addWidget(self.compare_button)
        passes.addStretch(1)
        self.check_label = QLabel(CHECK_HINT)
        self.check_label.setWordWrap(True)
        self.check_label.setStyleSheet(CHECK_STYLE)
        self.check_label.hide()

        self.rule_label = note_label()
        self.lock_label = QLabel()
        self.lock_label.setWordWrap(True)
        self.lock_label.setStyleSheet(LOCKED_STYLE)
        self.lock_label.hide()

        self.model = ScoreGridModel(self)
        self.view = ScoreGridView()
        table_view(view=self.view)
        self.view.setSelectionBehavior(ScoreGridView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(ScoreGridView.EditTrigger.AnyKeyPressed | ScoreGridView.EditTrigger.DoubleClicked
                                  | ScoreGridView.EditTrigger.EditKeyPressed)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.setModel(self.model)
        self.view.on_typed = self.typed
        self.view.on_submit = self.submit
        self.view.on_clear = self.clear
        self.view.on_refused_key = lambda index: self.fail(self.model.blocked(index) or "")

        self.item_bar = QProgressBar()
        self.item_bar.setMaximumWidth(260)
        self.item_bar.setFormat("%v / %m")
        self.progress_label = QLabel()
        self.progress_label.setStyleSheet(NOTE_STYLE)
        self.message_label = note_label()
        # A line kept for the message even while empty: the grid must not move (and repaint whole) at every key.
        self.message_label.setText("已保存 0")  # a Chinese line: its font may be taller than the Latin one
        self.message_label.setMinimumHeight(self.message_label.sizeHint().height())
        self.message_label.clear()

        # The open mismatches of this item: shown in the first pass, and in the second once compared.
        self.mismatch_title = QLabel()
        self.mismatch_title.setStyleSheet("color:#a5281b; font-weight:bold;")
        self.mismatch_model = RowModel(MISMATCH_HEADERS, "LLLLL")
        self.mismatch_view = table_view()
        self.mismatch_view.setModel(self.mismatch_model)
        self.mismatch_view.setMaximumHeight(150)
        self.resolve_button = QPushButton("裁定…")
        self.resolve_button.setToolTip("裁判长核对原始评分表后裁定应记录的分数（须PIN和原因）")
        self.goto_button = QPushButton("转到该格")
        side = QVBoxLayout()
        side.addWidget(self.resolve_button)
        side.addWidget(self.goto_button)
        side.addStretch(1)
        listing = QHBoxLayout()
        listing.addWidget(self.mismatch_view, 1)
        listing.addLayout(side)
        self.mismatch_box = QWidget()
        mismatch_layout = QVBoxLayout(self.mismatch_box)
        mismatch_layout.setContentsMargins(0, 0, 0, 0)
        mismatch_layout.addWidget(self.mismatch_title)
        mismatch_layout.addLayout(listing)
        self.mismatch_box.hide()

        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("本项目进度："))
        bottom.addWidget(self.item_bar)
        bottom.addWidget(self.progress_label, 1)

        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addLayout(passes)
        box.addWidget(self.check_label)
        box.addWidget(self.rule_label)
        box.addWidget(self.lock_label)
        box.addWidget(self.view, 1)
        box.addWidget(self.mismatch_box)
        box.addLayout(bottom)
        box.addWidget(self.message_label)

        self.item_combo.currentIndexChanged.connect(self._item_chosen)
        self.page_combo.currentIndexChanged.connect(self._page_chosen)
        self.deduct_button.clicked.connect(self.deduct)
        self.import_button.clicked.connect(self.import_scores)
        self.check_radio.toggled.connect(self._pass_chosen)
        self.compare_button.clicked.connect(self.compare)
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.goto_button.clicked.connect(self._go_to_selected_mismatch)
        self.mismatch_view.doubleClicked.connect(lambda _i: self._go_to_selected_mismatch())
        self._show_pass()

    # ---- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        keep = self.item_combo.currentData()
        self.item_combo.blockSignals(True)
        self.item_combo.clear()
        if self.contest is None:
            self.ctx, self.values, self.expected, self.entered = None, {}, {}, Counter()
        else:
            self.ctx = ScoringContext.load(self.db, self.contest_id)
            prog = scoring.progress(self.db, self.contest_id, self.ctx)
            self.expected = {p.item.id: p.expected for p in prog.items}
            self.entered = Counter({p.item.id: p.entered for p in prog.items})
            for it in self.ctx.items.values():
                self.item_combo.addItem(it.name + ("（已锁定）" if it.locked else ""), it.id)
        index = self.item_combo.findData(keep) if keep is not None else -1
        if index < 0 and self.ctx is not None:  # a contest just opened: the first item still being scored
            index = next((i for i, it in enumerate(self.ctx.items.values()) if not it.locked), 0)
        self.item_combo.setCurrentIndex(index if self.item_combo.count() else -1)
        self.item_combo.blockSignals(False)
        self._show_pass()
        self._item_chosen()

    @property
    def item(self) -> Item | None:
        item_id = self.item_combo.currentData()
        return self.ctx.items.get(int(item_id)) if self.ctx is not None and item_id is not None else None

    def select_item(self, item_id: int, page_key: str | None = None) -> None:
        index = self.item_combo.findData(item_id)
        if index >= 0:
            self.item_combo.setCurrentIndex(index)
        if page_key is not None:
            found = next((i for i, p in enumerate(self.pages) if p.key == page_key), -1)
            if found >= 0:
                self.page_combo.setCurrentIndex(found)

    def _item_chosen(self, *_: object) -> None:
        item = self.item
        # Only the chosen item's values are read: a 200-competitor contest holds ten thousand of them.
        self.values = scoring.item_values(self.db, item.id) if item is not None else {}
        self.pages = grid_pages(self.ctx, item) if self.ctx is not None and item is not None else []
        self.page_combo.blockSignals(True)
        self.page_combo.clear()
        for p in self.pages:
            self.page_combo.addItem(p.label, p.key)
        self.page_combo.setCurrentIndex(0 if self.pages else -1)
        self.page_combo.blockSignals(False)
        several = len(self.pages) > 1
        self.page_label.setVisible(several)
        self.page_combo.setVisible(several)
        self._page_chosen()

    def _page_chosen(self, *_: object) -> None:
        item, ctx = self.item, self.ctx
        index = self.page_combo.currentIndex()
        page = self.pages[index] if 0 <= index < len(self.pages) else None
        if ctx is None or item is None:
            self.codes, self.mismatches = {}, {}
            self.model.load(None, None, None, {}, {}, {}, {})
        else:
            self.codes = draw.codes(self.db, item.id) if item.blind else {}
            anonymous = item.blind and not item.locked
            entrants = ctx.panel.entrants(item)  # team rows on a 团体 item
            rows = anonymous_rows(entrants, self.codes) if anonymous else entrants
            self.mismatches = {m.slot: m for m in scoring.double_entry_status(self.db, item.id).mismatches}
            checking = self.checking
            double = DoubleEntry(CHECK_PASS if checking else FIRST_PASS,
                                 scoring.check_values(self.db, item.id) if checking else {}, dict(self.mismatches),
                                 reveal=self._revealed_item == item.id)
            self.model.load(ctx, item, page, self.values, self.codes, self._deductions(item), self._flags(item),
                            rows=rows, anonymous=anonymous, double=double)
        self._fill_mismatches()
        self._size_columns()
        self._show_rule(item)
        self.clerk_label.setText(f"录入员：{self.host.clerk()}")
        self.message_label.clear()
        self._update_progress()
        self._go_to_first_open()

    def _deductions(self, item: Item) -> dict[int, tuple[int, str]]:
        points: Counter[int] = Counter()
        reasons: dict[int, list[str]] = {}
        for d in scoring.deductions(self.db, self.contest_id):
            if d.item_id == item.id:
                milli = to_milli(d.points)
                points[d.competitor_id] += milli
                reasons.setdefault(d.competitor_id, []).append(f"-{show_plain(milli)}：{d.reason}（{d.entered_by}）")
        return {cid: (p, "\n".join(reasons[cid])) for cid, p in points.items()}

    def _flags(self, item: Item) -> dict[int, str]:
        if self.ctx is None or not item.judged or item.max_spread is None:
            return {}
        flags = ranking.spread_flags(self.db, [item], self.ctx.panel)  # a blind item's flags name the code only
        return {f.competitor.id: f.text() for f in flags if not f.overridden}  # accepted ones need no eye

    def _size_columns(self) -> None:
        typical = {DRAW_COL: "抽签号", CODE_COL: "密封编号", NAME_COL: "欧阳某某某",
                   UNIT_COL: longest_unit_name(self.db)}
        fit_columns(self.view, {i: typical[name] for i, name in enumerate(self.model.fixed_columns())})
        for c in self.model.value_columns():
            header = str(self.model.headerData(c, Qt.Orientation.Horizontal) or "")
            width = max(self.view.fontMetrics().horizontalAdvance(header) + 28, 84)
            self.view.horizontalHeader().resizeSection(c, width)
        fit_columns(self.view, {self.model.columnCount() - 1: "-10.5"} if self.model.columnCount() else {})

    def _show_rule(self, item: Item | None) -> None:
        if item is None:
            self.rule_label.setText("本次比武还没有项目。" if self.contest is not None else
                                    "请在左侧选择一项比武；还没有比武时，点击“导入比武工作簿…”。")
            self.lock_label.hide()
            return
        parts = [f"计分方式：{item.method_text}", f"满分{show_plain(item.full_milli)}", f"权重{item.weight}%",
                 f"录入最多{item.entry_decimals()}位小数"]
        if item.max_spread is not None:
            parts.append(f"分差上限{item.max_spread}")
        if item.converted:
            parts.append(f"录入测得成绩（{item.raw_unit or '原始值'}），按换算表折算"
                         + ("，越小越好" if item.lower_is_better else "，越大越好"))
        legend = ["灰色“回避”：评委与选手同属一个单位，不评分"] if item.judged else []
        if item.max_spread is not None:
            legend.append("橙色编号：评委分差超过上限（鼠标停留看详情）")
        if self.mismatches and self.model.double.colour:
            legend.append("红色：两遍录入不一致，待裁判长裁定")
        if item.blind and not item.locked:
            legend.append("密封项目：锁定前只显示密封编号，不显示选手姓名和单位")
        self.rule_label.setText("　".join(parts) + "\n" + KEY_HINT + ("\n" + "；".join(legend) if legend else ""))
        if item.locked:
            at = (item.locked_at or "").replace("T", " ")
            self.lock_label.setText(f"【已锁定】本项目于 {at} 由{item.locked_by}锁定，成绩只读。"
                                    "如需更正，请裁判长在“核查与锁定”页解锁（须PIN和原因）。")
            self.lock_label.show()
        else:
            self.lock_label.hide()

    def _go_to_first_open(self) -> None:
        """Start where typing starts: the first cell still to be scored (else the first one)."""
        first, open_ = self.model.first_open(skip_blocked=not (self.item and self.item.locked))
        target = open_ if open_ is not None else first
        if target is not None:
            self.view.go_to(target)

    def focus_grid(self) -> None:
        self.view.setFocus()

    # ---- progress --------------------------------------------------------------------------------

    def _set_bar(self, maximum: int, value: int) -> None:
        # QProgressBar.setValue repaints at once (meant for busy loops): let it wait for the window's next paint
        # with the rest of what a save changed, instead of a paint of its own at every Enter.
        self.item_bar.setUpdatesEnabled(False)
        try:
            self.item_bar.setRange(0, maximum)
            self.item_bar.setValue(value)
        finally:
            self.item_bar.setUpdatesEnabled(True)

    def _update_progress(self) -> None:
        item = self.item
        if item is None or self.ctx is None:
            self._set_bar(1, 0)
            self.progress_label.setText("")
            return
        per_item = Counter(self.entered)
        if self.checking:
            per_item[item.id] = len(self.model.double.checks)
        expected = self.expected.get(item.id, 0)
        self._set_bar(max(expected, 1), min(per_item[item.id], max(expected, 1)))
        done, total = self.model.filled()
        all_expected = sum(self.expected.values())
        all_done = sum(min(per_item[i], n) for i, n in self.expected.items())
        share = f"{all_done * 100 // all_expected}%" if all_expected else "—"
        page = f"本页 {done} / {total}　" if len(self.pages) > 1 else ""
        if self.checking:
            first = self.entered[item.id]
            self.progress_label.setText(f"{page}第二遍核对录入：本项目已录 {len(self.model.double.checks)}，"
                                        f"第一遍已录 {first}")
            return
        finished = sum(1 for i, n in self.expected.items() if per_item[i] >= n)
        self.progress_label.setText(f"{page}全部项目：已录 {all_done} / 应录 {all_expected}（{share}），"
                                    f"已录完 {finished} / {len(self.expected)} 个项目")

    # ---- typing ----------------------------------------------------------------------------------

    def fail(self, text: str) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.setText(text)

    def ok(self, text: str) -> None:
        self.message_label.setStyleSheet(OK_STYLE)
        self.message_label.setText(text)

    def _where(self, index: QModelIndex) -> str:
        column = str(self.model.headerData(index.column(), Qt.Orientation.Horizontal) or "")
        return f"{self.model.who(index.row())}，{column}"

    def problem(self, index: QModelIndex, text: str) -> str | None:
        """Why `text` cannot be saved in this cell, or None."""
        blocked = self.model.blocked(index)
        if blocked is not None:
            return blocked
        slot = self.model.slot_at(index)
        if slot is None or self.ctx is None:
            return "请选择评分单元格"
        if not text.strip():
            return None
        try:
            self.ctx.parse_value(slot, text)
        except ValueProblem as exc:
            return str(exc)
        return None

    def typed(self, index: QModelIndex, text: str) -> str | None:
        found = self.problem(index, text)
        if found:
            self.fail(f"{self._where(index)}：{found}（不能保存）")
        else:
            self.message_label.clear()
        return found

    def submit(self, index: QModelIndex, text: str) -> bool:
        """Save `text` in the cell; True when the cell is settled (saved, unchanged or left not scored)."""
        found = self.problem(index, text)
        slot = self.model.slot_at(index)
        if found or slot is None or self.ctx is None:
            self.fail(f"{self._where(index)}：{found}，未保存" if found else "请选择评分单元格")
            return False
        stored = self.model.value_at(index)
        if self.checking:
            return self._submit_check(index, slot, text, stored)
        if not text.strip():
            return stored is None or self._clear(index, slot, stored)
        new = to_milli(self.ctx.parse_value(slot, text))
        if new == stored:
            self.message_label.clear()
            return True
        reason = ""
        if stored is not None:
            self.view.close_editor()  # before the question box: the editor must not commit on focus-out
            answer = self.host.prompts.ask_text(
                "修改成绩", f"{self._where(index)}已录入 {show_plain(stored)}，改为 {show_plain(new)}。\n"
                "请填写修改原因（记入修改记录）：")
            reason = (answer or "").strip()
            if not reason:
                self.fail(f"{self._where(index)}：修改已录入的成绩须说明原因，未保存（仍为 {show_plain(stored)}）")
                return False
        try:
            scoring.enter_score(self.db, slot, text, self.host.clerk(), reason=reason, ctx=self.ctx)
        except ScoreError as exc:
            self.fail(f"{self._where(index)}：{exc}，未保存")
            return False
        self.model.stored(index, new)
        if stored is None:
            self.entered[slot.item_id] += 1
        change = f"由 {show_plain(stored)} 改为 {show_plain(new)}（原因：{reason}）" if stored is not None else \
            f"已保存 {show_plain(new)}"
        self._saved(f"{self._where(index)}：{change}")
        return True

    def clear(self, index: QModelIndex) -> None:
        """Delete on a cell: back to "not scored", with a reason."""
        blocked = self.model.blocked(index)
        slot = self.model.slot_at(index)
        if blocked is not None or slot is None:
            self.fail(blocked or "")
            return
        stored = self.model.value_at(index)
        if self.checking:
            if stored is not None:
                self.fail(f"{self._where(index)}：第二遍录入的分数不能撤销，输入正确的分数即可更正")
            return
        if stored is not None:
            self._clear(index, slot, stored)

    def _clear(self, index: QModelIndex, slot: Slot, stored: int) -> bool:
        self.view.close_editor()
        answer = self.host.prompts.ask_text(
            "撤销成绩", f"{self._where(index)}已录入 {show_plain(stored)}，撤销后为“未评分”。\n请填写撤销原因：")
        reason = (answer or "").strip()
        if not reason:
            self.fail(f"{self._where(index)}：撤销已录入的成绩须说明原因，未撤销")
            return False
        try:
            scoring.clear_score(self.db, slot, self.host.clerk(), reason, ctx=self.ctx)
        except ScoreError as exc:
            self.fail(str(exc))
            return False
        self.model.stored(index, None)
        self.entered[slot.item_id] -= 1
        self._saved(f"{self._where(index)}：已撤销 {show_plain(stored)}，现为未评分（原因：{reason}）")
        return True

    def _saved(self, text: str) -> None:
        self.ok(text)
        item = self.item
        if item is not None:
            self.model.set_flags(self._flags(item))
            if self.mismatches:  # a corrected first entry may settle a mismatch
                self._refresh_mismatches()
        self._update_progress()
        self.changed.emit()

    # ---- double entry ------------------------------------------------------------------------------

    @property
    def checking(self) -> bool:
        return self.check_radio.isChecked()

    def check_clerk(self) -> str:
        return self.check_clerk_edit.text().strip()

    def set_pass(self, mode: str) -> None:
        """FIRST_PASS or CHECK_PASS, as the clerk clicks the switch."""
        (self.check_radio if mode == CHECK_PASS else self.first_radio).setChecked(True)

    def _pass_chosen(self, *_: object) -> None:
        self._revealed_item = None  # a new second pass starts blind
        self._show_pass()
        self._page_chosen()
        if self.checking and not self.check_clerk():
            self.fail("第二遍核对录入：请先填写核对录入员姓名（须与第一遍录入员不同）")
            self.check_clerk_edit.setFocus()

    def _show_pass(self) -> None:
        checking = self.checking
        self.clerk_label.setText(f"录入员：{self.host.clerk()}")
        self.clerk_label.setVisible(not checking)
        for w in (self.check_clerk_label, self.check_clerk_edit, self.check_label):
            w.setVisible(checking)
        self.compare_button.setVisible(checking)
        self.compare_button.setEnabled(self.contest is not None)
        for button in (self.deduct_button, self.import_button):  # neither belongs to the blind second pass
            button.setEnabled(self.contest is not None and not checking)

    def _submit_check(self, index: QModelIndex, slot: Slot, text: str, stored: int | None) -> bool:
        if not text.strip():
            if stored is None:
                return True
            self.fail(f"{self._where(index)}：第二遍录入的分数不能撤销，输入正确的分数即可更正")
            return False
        clerk = self.check_clerk()
        if not clerk:
            self.fail("请先填写核对录入员姓名（须与第一遍录入员不同），未保存")
            return False
        try:
            scoring.enter_check(self.db, slot, text, clerk, ctx=self.ctx)
        except ScoreError as exc:
            self.fail(f"{self._where(index)}：{exc}，未保存")
            return False
        assert self.ctx is not None
        new = to_milli(self.ctx.parse_value(slot, text))
        self.model.stored(index, new)
        self._refresh_mismatches()
        note = ""
        if self.model.double.reveal:
            note = "，与第一遍不一致（待裁定）" if slot in self.mismatches else "，与第一遍一致"
        self.ok(f"{self._where(index)}：第二遍已保存 {show_plain(new)}{note}")
        self._update_progress()
        self.changed.emit()
        return True

    def compare(self) -> None:
        """The second clerk has typed the sheets: show where the two passes differ."""
        item = self.item
        if item is None:
            return
        self._revealed_item = item.id
        self._refresh_mismatches()
        self.model.set_double(reveal=True)
        self._fill_mismatches()
        self._show_rule(item)
        st = scoring.double_entry_status(self.db, item.id)
        if st.mismatches:
            self.fail(f"{item.name}：两遍录入不一致 {len(st.mismatches)} 处（已标红并列在下方），请裁判长核对原始"
                      f"评分表后裁定；一致 {st.matched} 处，第二遍未录 {st.unchecked} 处")
        else:
            self.ok(f"{item.name}：两遍录入一致 {st.matched} 处，没有不一致；第二遍未录 {st.unchecked} 处")

    def _refresh_mismatches(self) -> None:
        item = self.item
        if item is None:
            return
        self.mismatches = {m.slot: m for m in scoring.double_entry_status(self.db, item.id).mismatches}
        self.model.set_double(mismatches=dict(self.mismatches))
        self._fill_mismatches()

    def _fill_mismatches(self) -> None:
        shown = self.model.double.colour and bool(self.mismatches) and self.item is not None
        ctx, item = self.ctx, self.item
        rows, objects = [], []
        if shown and ctx is not None and item is not None:
            order = {c.id: r for r, c in enumerate(ctx.panel.competitors)}
            for m in sorted(self.mismatches.values(), key=lambda m: (self.model.row_of(m.slot.competitor_id),
                                                                      order.get(m.slot.competitor_id, 0))):
                judge = ctx.panel.judge_by_id.get(m.slot.judge_id or 0)
                crit = next((c.name for c in item.criteria if c.id == m.slot.criterion_id), "")
                first = f"{m.first}（{m.first_by}）" if m.first is not None else "未录入"
                objects.append(m)
                rows.append([self._who(m.slot.competitor_id), f"{judge.code} {judge.name}" if judge else "", crit,
                             first, f"{m.second}（{m.second_by}）"])
        self.mismatch_model.set_rows(objects, rows)
        self.mismatch_title.setText(f"两遍录入不一致（{len(rows)}处，待裁判长裁定）：")
        self.mismatch_box.setVisible(bool(rows))
        if rows:
            fit_columns(self.mismatch_view, {0: "密封编号B123 欧阳某某", 1: "J7 赵强强", 2: "程序规范",
                                             3: "85.5（记分员李静静）", 4: "85.5（记分员李静静）"})
            self.mismatch_view.selectRow(0)
        self.resolve_button.setEnabled(bool(rows))
        self.goto_button.setEnabled(bool(rows))

    def _who(self, competitor_id: int) -> str:
        row = self.model.row_of(competitor_id)
        if row >= 0:
            return self.model.who(row)
        comp = self.ctx.panel.by_id.get(competitor_id) if self.ctx else None
        return comp.label if comp else ""

    def selected_mismatch(self) -> Mismatch | None:
        index = self.mismatch_view.currentIndex()
        if not index.isValid() or index.row() >= self.mismatch_model.rowCount():
            return None
        found = self.mismatch_model.object_at(index.row())
        return found if isinstance(found, Mismatch) else None

    def _go_to_selected_mismatch(self) -> None:
        m = self.selected_mismatch()
        if m is not None:
            self.show_slot(m.slot)

    def show_slot(self, slot: Slot) -> bool:
        """Open the item, the page and the cell of a slot (the checks tab jumps here to a mismatch)."""
        if self.item is None or self.item.id != slot.item_id:
            self.select_item(slot.item_id)
        key = next((p.key for p in self.pages if any((c.judge_id, c.criterion_id) == (slot.judge_id, slot.criterion_id)
                                                     for c in p.columns)), None)
        if key is not None and self.page_combo.currentData() != key:
            self.select_item(slot.item_id, key)
        row, column = self.model.row_of(slot.competitor_id), self.model.column_of(slot)
        if row < 0 or column < 0:
            return False
        self.view.go_to(self.model.index(row, column))
        self.view.setFocus()
        return True

    def resolve_selected(self) -> None:
        m = self.selected_mismatch()
        item = self.item
        if m is None or item is None or self.contest is None:
            return
        from ui.mismatch_dialog import MismatchDialog

        judge = self.ctx.panel.judge_by_id.get(m.slot.judge_id or 0) if self.ctx else None
        crit = next((c.name for c in item.criteria if c.id == m.slot.criterion_id), "")
        where = "，".join(x for x in (item.name, self._who(m.slot.competitor_id),
                                      f"评委{judge.code} {judge.name}" if judge else "", crit) if x)
        dialog = MismatchDialog(self.db, self.contest_id, m, where, self.host.chief(), self.ctx, self)
        dialog.succeeded.connect(lambda result: self._resolved(where, result))
        self.host.open_dialog(dialog)

    def _resolved(self, where: str, result: EntryResult) -> None:
        item = self.item
        if item is not None:  # the decision may have stored a first value where there was none
            self.values = scoring.item_values(self.db, item.id)
        if self.contest is not None:
            self.entered = Counter({p.item.id: p.entered for p in scoring.progress(self.db, self.contest_id,
                                                                                 self.ctx).items})
        self._page_chosen()
        self.ok(f"已裁定：{where} 记为 {result.new}")
        self.changed.emit()

    # ---- deductions and score files ---------------------------------------------------------------

    def deduct(self) -> None:
        item, index = self.item, self.view.currentIndex()
        if item is None or self.ctx is None or not index.isValid():
            self.fail("请先在表格中选择要扣分的选手")
            return
        comp = self.model.competitor_at(index.row())
        who = self.model.who(index.row())
        points = self.host.prompts.ask_text("扣分", f"{item.name}：{who} 扣多少分？")
        if points is None or not points.strip():
            return
        reason = self.host.prompts.ask_text("扣分", f"{who} 扣 {points.strip()} 分的原因：")
        if reason is None:
            return
        try:
            scoring.add_deduction(self.db, item.id, comp.id, points.strip(), reason, self.host.clerk(), ctx=self.ctx)
        except ScoreError as exc:
            self.fail(f"未扣分：{exc}")
            return
        keep = self.view.currentIndex()
        self._page_chosen()
        self.view.go_to(self.model.index(keep.row(), keep.column()))
        self.ok(f"{item.name}：{who} 扣 {points.strip()} 分（{reason.strip()}）")
        self.changed.emit()

    def import_scores(self) -> None:
        if self.contest is None:
            return
        from ui.contest_import_dialog import ContestImportDialog

        dialog = ContestImportDialog(self.db, self.host.prompts, self.host.clerk(), self, contest_id=self.contest_id)
        dialog.imported.connect(self._imported)
        self.host.open_dialog(dialog)

    def _imported(self, _result: object) -> None:
        self.reload()
        self.changed.emit()
