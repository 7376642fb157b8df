"""The 核查与锁定 tab: per item its progress, spread flags, double-entry state and lock; the flagged competitors
with every judge's score (highest and lowest marked); double-entry mismatches; the change log. The chief
judge locks (PIN; open spread flags refuse unless overridden with a reason), unlocks (PIN and reason),
accepts one competitor's spread, and decides a double-entry mismatch (or jumps to its cell in the entry grid).

Once every item is locked the chief judge releases the ranking (发布排名, PIN) to the results board
(成绩大屏, ui.results_board) and may withdraw it (PIN and reason); trainer.contest_release keeps the state.
A blind item that is not locked shows codes here too, never names."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget
from sqlite_utils import Database

from trainer import blind, contest_locks, contest_release, ranking, scoring
from trainer.contest import Item
from trainer.contest_people import Competitor
from trainer.contest_values import show_plain
from trainer.ranking import SpreadFlag
from trainer.scoring import EntryResult, Mismatch, ScoringContext, Slot
from ui.class_tab import ERROR_STYLE, OK_STYLE, fit_columns, note_label, stretch_column, table_view
from ui.contest_tab import ContestHost, ContestTab
from ui.pin_dialog import LockDialog, PinDialog
from ui.row_model import RowModel

ITEM_HEADERS = ("项目", "计分方式", "录入进度", "分差提示", "复核录入", "状态")
FLAG_HEADERS = ("项目", "抽签号", "姓名", "单位", "评委分差", "分差上限", "最高分评委", "最低分评委", "状态",
                "各评委评分")
MISMATCH_HEADERS = ("项目", "编号", "姓名", "评委", "细则", "第一次录入", "复核录入")
RELEASE_STYLE = "font-weight: bold; color: #1d4f86;"
CHANGE_HEADERS = ("时间", "操作人", "操作", "项目", "抽签号", "评委", "细则", "原值", "新值", "原因")


def _table(model: RowModel) -> QTableView:
    view = table_view()
    view.setModel(model)
    return view


class ChecksTab(ContestTab):
    open_cell = Signal(object)  # a Slot: show it in the entry grid (the page switches tabs)

    def __init__(self, db: Database, host: ContestHost, parent: QWidget | None = None) -> None:
        super().__init__(db, host, parent)
        self.items: list[Item] = []
        self.ctx: ScoringContext | None = None
        self.sealing = blind.Sealing({})  # how each item may name its competitors (codes on a blind item)
        self.release_state = contest_release.ReleaseState(None)
        self.board: QWidget | None = None

        self.item_model = RowModel(ITEM_HEADERS, "LLRCCL")
        self.item_view = _table(self.item_model)
        self.lock_button = QPushButton("锁定…")
        self.lock_button.setToolTip("锁定所选项目：成绩只读（须裁判长PIN）")
        self.unlock_button = QPushButton("解锁…")
        self.unlock_button.setToolTip("解锁所选项目（须裁判长PIN和原因）")
        self.override_button = QPushButton("确认分差…")
        self.override_button.setToolTip("裁判长确认所选选手的评委分差，说明理由后不再提示（评分改变后失效）")
        self.resolve_button = QPushButton("裁定不一致…")
        self.resolve_button.setToolTip("两次录入不一致时，核对原始评分表后裁定应录入的分数（须裁判长PIN和原因）")
        self.goto_button = QPushButton("转到录入表")
        self.goto_button.setToolTip("在“评分录入”页打开该项目并定位到这一格（不一致的格标红）")
        self.release_label = QLabel()
        self.release_label.setStyleSheet(RELEASE_STYLE)
        self.release_button = QPushButton("发布排名…")
        self.release_button.setToolTip("全部项目锁定后，由裁判长发布排名（须PIN），成绩大屏随即显示排名")
        self.withdraw_button = QPushButton("撤回发布…")
        self.withdraw_button.setToolTip("撤回已发布的排名（须裁判长PIN和原因），成绩大屏回到录入进度")
        self.board_button = QPushButton("成绩大屏")
        self.board_button.setToolTip("打开供现场投影的成绩大屏（有第二块屏幕时在其上全屏；F11 全屏，Esc 退出全屏）")
        buttons = QVBoxLayout()
        for b in (self.lock_button, self.unlock_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.item_view, 1)
        top.addLayout(buttons)
        top_box = QWidget()
        top_box.setLayout(top)

        self.flag_model = RowModel(FLAG_HEADERS, "LCLLRRLLCL")
        self.flag_view = _table(self.flag_model)
        self.mismatch_model = RowModel(MISMATCH_HEADERS, "LCLLLLL")
        self.mismatch_view = _table(self.mismatch_model)
        self.change_model = RowModel(CHANGE_HEADERS, "LLLLCLLRRL")
        self.change_view = _table(self.change_model)
        self.lists = QTabWidget()
        self.lists.addTab(self._with_button(self.flag_view, self.override_button), "分差提示")
        mismatch_box = self._with_button(self.mismatch_view, self.goto_button, self.resolve_button)
        self.lists.addTab(mismatch_box, "复核录入不一致")
        self.lists.addTab(self.change_view, "修改记录")

        self.message_label = note_label()
        box = QVBoxLayout(self)
        box.addWidget(note_label("锁定前请核对：成绩录入完整，评委分差在上限以内（或经裁判长确认），复核录入一致。"
                                 "锁定后成绩只读，排名表不再标注“初稿”。"))
        box.addWidget(top_box)
        release_row = QHBoxLayout()
        release_row.addWidget(QLabel("成绩发布："))
        release_row.addWidget(self.release_label, 1)
        for b in (self.release_button, self.withdraw_button, self.board_button):
            release_row.addWidget(b)
        box.addLayout(release_row)
        box.addWidget(self.lists, 1)
        box.addWidget(self.message_label)

        self.lock_button.clicked.connect(self.lock_selected)
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.override_button.clicked.connect(self.override_selected)
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.goto_button.clicked.connect(self.go_to_selected_mismatch)
        self.mismatch_view.doubleClicked.connect(lambda _i: self.go_to_selected_mismatch())
        self.release_button.clicked.connect(self.release_ranking)
        self.withdraw_button.clicked.connect(self.withdraw_release)
        self.board_button.clicked.connect(lambda: self.open_board())
        self.item_view.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.flag_view.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.mismatch_view.selectionModel().currentRowChanged.connect(self._update_buttons)

    @staticmethod
    def _with_button(view: QTableView, *buttons: QPushButton) -> QWidget:
        row = QHBoxLayout()
        row.addStretch(1)
        for button in buttons:
            row.addWidget(button)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view, 1)
        layout.addLayout(row)
        return box

    # ---- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        keep = self.selected_item()
        self.ctx = ScoringContext.load(self.db, self.contest_id) if self.contest is not None else None
        ctx = self.ctx
        self.items = list(ctx.items.values()) if ctx is not None else []
        self.sealing = blind.Sealing.load(self.db, self.items)
        flags = ranking.spread_flags(self.db, self.items, ctx.panel) if ctx is not None else []
        progress = {p.item.id: p for p in scoring.progress(self.db, self.contest_id, ctx).items} if ctx else {}
        statuses = {it.id: scoring.double_entry_status(self.db, it.id) for it in self.items}
        rows = []
        for it in self.items:
            p = progress[it.id]
            mine = [f for f in flags if f.item.id == it.id]
            open_ = sum(1 for f in mine if not f.overridden)
            flag_text = "—" if not it.judged or it.max_spread is None else (
                f"待处理 {open_}" + (f"，已确认 {len(mine) - open_}" if len(mine) > open_ else "") if mine else "无")
            st = statuses[it.id]
            check = f"不一致 {len(st.mismatches)} / 已复核 {st.checked}" if st.checked else "未复核"
            at = (it.locked_at or "").replace("T", " ")
            state = f"已锁定（{at} {it.locked_by}）" if it.locked else "未锁定"
            rows.append([it.name, it.method_text, f"{p.entered} / {p.expected}", flag_text, check, state])
        self.item_model.set_rows(self.items, rows, muted=[it.locked for it in self.items])
        fit_columns(self.item_view, {0: "情景模拟执法", 1: "评分细则（去掉最高最低取平均）", 2: "1200 / 1200",
                                     3: "待处理 12，已确认 3", 4: "不一致 10 / 已复核 100"})
        self._fill_flags(flags)
        mismatches = [m for st in statuses.values() for m in st.mismatches]
        self._fill_mismatches(mismatches)
        self._fill_changes()
        self.lists.setTabText(0, f"分差提示（待处理 {sum(1 for f in flags if not f.overridden)}）")
        self.lists.setTabText(1, f"复核录入不一致（{len(mismatches)}）")
        view = self.item_view  # every item in sight, the lists below get the rest
        view.setFixedHeight(view.horizontalHeader().height() + max(len(self.items), 3)
                            * view.verticalHeader().defaultSectionSize() + 2 * view.frameWidth() + 2)
        ids = [it.id for it in self.items]
        if keep in ids:
            self.item_view.selectRow(ids.index(keep))
        elif self.items:  # the first item still open is the one the chief judge will look at
            self.item_view.selectRow(next((i for i, it in enumerate(self.items) if not it.locked), 0))
        if self.flag_model.rowCount():
            self.flag_view.selectRow(0)
        if self.mismatch_model.rowCount():
            self.mismatch_view.selectRow(0)
        self.release_state = (contest_release.state(self.db, self.contest_id) if self.contest is not None
                              else contest_release.ReleaseState(None))
        self.release_label.setText(self.release_state.text() if self.contest is not None else "")
        self._update_buttons()

    def _who(self, item: Item | None, comp: Competitor | None) -> tuple[str, str]:
        """(number, name) as this tab may show them: a blind item before its lock shows the code only."""
        if comp is None or item is None:
            return "", ""
        return self.sealing.number(item, comp), self.sealing.name(item, comp)

    def _fill_flags(self, flags: list[SpreadFlag]) -> None:
        assert self.ctx is not None or not flags
        rows = []
        for f in flags:
            per_judge: dict[int, int] = {}
            for judge_id, _crit, value in ranking.raw_values(self.db, f.item.id, f.competitor.id):
                per_judge[judge_id or 0] = per_judge.get(judge_id or 0, 0) + value
            judges = self.ctx.panel.judge_by_id if self.ctx else {}
            high, low = max(per_judge.values()), min(per_judge.values())
            by_high = "、".join(f"{judges[j].code} {judges[j].name}" for j, v in per_judge.items() if v == high)
            by_low = "、".join(f"{judges[j].code} {judges[j].name}" for j, v in per_judge.items() if v == low)
            scores = "　".join(f"{judges[j].code} {show_plain(v)}" for j, v in per_judge.items())
            number, name = self._who(f.item, f.competitor)
            sealed = self.sealing.sealed(f.item)
            rows.append([f.item.name, number, name,
                         self.ctx.panel.unit_name(f.competitor.unit_id) if self.ctx and not sealed else "",
                         show_plain(f.spread_milli), show_plain(f.limit_milli), by_high, by_low,
                         "已由裁判长确认" if f.overridden else "待处理", scores])
        self.flag_model.set_rows(flags, rows, muted=[f.overridden for f in flags])
        fit_columns(self.flag_view, {0: "情景模拟执法", 1: self._widest(self.flag_view, rows, 1, "抽签号"),
                                     2: "欧阳某某", 3: "市城市管理综合执法支队", 4: "评委分差", 5: "分差上限",
                                     6: "J7 赵强", 7: "J7 赵强", 8: "已由裁判长确认"})

    def _fill_mismatches(self, mismatches: list[Mismatch]) -> None:
        ctx = self.ctx
        rows = []
        for m in mismatches:
            item = ctx.items[m.slot.item_id] if ctx else None
            comp = ctx.panel.by_id[m.slot.competitor_id] if ctx else None
            judge = ctx.panel.judge_by_id.get(m.slot.judge_id or 0) if ctx else None
            crit = next((c.name for c in item.criteria if c.id == m.slot.criterion_id), "") if item else ""
            first = f"{m.first}（{m.first_by}）" if m.first is not None else "未录入"
            number, name = self._who(item, comp)
            rows.append([item.name if item else "", number, name,
                         f"{judge.code} {judge.name}" if judge else "", crit, first, f"{m.second}（{m.second_by}）"])
        self.mismatch_model.set_rows(mismatches, rows)
        number = self._widest(self.mismatch_view, rows, 1, "密封编号B123")
        fit_columns(self.mismatch_view, {0: "情景模拟执法", 1: number, 2: "欧阳某某", 3: "J7 赵强", 4: "程序规范",
                                         5: "85.5（记分员李静）"})

    def _fill_changes(self) -> None:
        changes = scoring.score_changes(self.db, self.contest_id, ctx=self.ctx) if self.contest is not None else []
        changes.reverse()  # newest first: what the chief judge asks about is usually the last change
        rows = [[c.at.replace("T", " "), c.actor, c.action, c.item, c.number, c.judge, c.criterion, c.old,
                 c.new, c.reason] for c in changes]
        self.change_model.set_rows(changes, rows)
        self.lists.setTabText(2, f"修改记录（{len(changes)}）")
        actor, number = (self._widest(self.change_view, rows, 1, "裁判长周明"),
                         self._widest(self.change_view, rows, 4, "抽签号"))
        fit_columns(self.change_view, {0: "2026-11-18 10:00:00", 1: actor, 2: "裁定不一致", 3: "情景模拟执法",
                                       4: number, 5: "J7", 6: "程序规范", 7: "100.5", 8: "100.5"})
        stretch_column(self.change_view, 9)

    # ---- selection -------------------------------------------------------------------------------

    def selected_item(self) -> int | None:
        index = self.item_view.currentIndex()
        if not index.isValid() or index.row() >= len(self.items):
            return None
        return self.items[index.row()].id

    def select_item(self, item_id: int) -> None:
        ids = [it.id for it in self.items]
        if item_id in ids:
            self.item_view.selectRow(ids.index(item_id))

    def _item(self) -> Item | None:
        item_id = self.selected_item()
        return next((it for it in self.items if it.id == item_id), None)

    def _update_buttons(self, *_: object) -> None:
        item = self._item()
        self.lock_button.setEnabled(item is not None and not item.locked)
        self.unlock_button.setEnabled(item is not None and item.locked)
        flag = self._current(self.flag_view, self.flag_model)
        self.override_button.setEnabled(isinstance(flag, SpreadFlag) and not flag.overridden and not flag.item.locked)
        has_mismatch = self._current(self.mismatch_view, self.mismatch_model) is not None
        self.resolve_button.setEnabled(has_mismatch)
        self.goto_button.setEnabled(has_mismatch)
        loaded = self.contest is not None
        all_locked = bool(self.items) and all(it.locked for it in self.items)
        self.release_button.setEnabled(loaded and all_locked and not self.release_state.released)
        self.release_button.setToolTip("发布排名到成绩大屏（须裁判长PIN）" if all_locked else
                                       "全部项目锁定后才能发布排名")
        self.withdraw_button.setEnabled(loaded and self.release_state.release is not None)
        self.board_button.setEnabled(loaded)

    @staticmethod
    def _widest(view: QTableView, rows: list[list[str]], column: int, floor: str) -> str:
        """The column's widest text as shown (a sealed code is wider than a draw number), at least `floor`."""
        width = view.fontMetrics().horizontalAdvance
        return max({floor, *(row[column] for row in rows)}, key=width)

    @staticmethod
    def _current(view: QTableView, model: RowModel) -> object:
        index = view.currentIndex()
        return model.object_at(index.row()) if index.isValid() and index.row() < model.rowCount() else None

    def _done(self, text: str) -> None:
        self.reload()
        self.message_label.setStyleSheet(OK_STYLE)
        self.message_label.setText(text)
        self.changed.emit()

    def fail(self, text: str) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.setText(text)

    # ---- the chief judge's actions ---------------------------------------------------------------

    def lock_selected(self) -> None:
        item = self._item()
        if item is None or item.locked:
            return
        db, chief = self.db, self.host.chief()
        dialog = LockDialog(item.name, lambda pin, reason: contest_locks.lock_item(
            db, item.id, pin, chief, override_reason=reason), self)
        dialog.succeeded.connect(lambda result: self._done(
            f"已锁定“{item.name}”" + (f"（确认分差 {len(result.overridden)} 人）" if result.overridden else "")))
        self.host.open_dialog(dialog)

    def unlock_selected(self) -> None:
        item = self._item()
        if item is None or not item.locked:
            return
        db, chief = self.db, self.host.chief()
        dialog = PinDialog(f"解锁项目 — {item.name}", f"解锁后“{item.name}”的成绩可以修改；解锁和原因记入审计日志。",
                           lambda pin, reason: contest_locks.unlock_item(db, item.id, pin, chief, reason),
                           ok_text="解锁", reason_label="解锁原因：", reason_hint="如：发现录入错误，需更正",
                           parent=self)
        dialog.succeeded.connect(lambda _r: self._done(f"已解锁“{item.name}”"))
        self.host.open_dialog(dialog)

    def override_selected(self) -> None:
        flag = self._current(self.flag_view, self.flag_model)
        if not isinstance(flag, SpreadFlag) or flag.overridden:
            return
        db, chief = self.db, self.host.chief()
        who = flag.subject  # the code alone on a blind item before its lock
        dialog = PinDialog(f"确认分差 — {who}", flag.text() + "\n确认后不再提示；若评分再改变，确认失效。",
                           lambda pin, reason: contest_locks.override_spread(
                               db, flag.item.id, flag.competitor.id, pin, chief, reason),
                           ok_text="确认分差", reason_label="确认理由：", reason_hint="如：复核录像，维持原评分",
                           parent=self)
        dialog.succeeded.connect(lambda _r: self._done(f"已确认分差：{who}"))
        self.host.open_dialog(dialog)

    def resolve_selected(self) -> None:
        """The chief judge decides the selected mismatch: first, second or a new value; reason and PIN."""
        m = self._current(self.mismatch_view, self.mismatch_model)
        if not isinstance(m, Mismatch) or self.contest is None:
            return
        from ui.mismatch_dialog import MismatchDialog

        where = self._where(m)
        dialog = MismatchDialog(self.db, self.contest_id, m, where, self.host.chief(), self.ctx, self)
        dialog.succeeded.connect(lambda result: self._resolved(where, result))
        self.host.open_dialog(dialog)

    def _resolved(self, where: str, result: EntryResult) -> None:
        self._done(f"已裁定：{where} 记为 {result.new}")

    def _where(self, m: Mismatch) -> str:
        ctx = self.ctx
        item = ctx.items.get(m.slot.item_id) if ctx else None
        comp = ctx.panel.by_id.get(m.slot.competitor_id) if ctx else None
        judge = ctx.panel.judge_by_id.get(m.slot.judge_id or 0) if ctx else None
        crit = next((c.name for c in item.criteria if c.id == m.slot.criterion_id), "") if item else ""
        person = self.sealing.who(item, comp) if item and comp else ""
        return "，".join(x for x in (item.name if item else "", person,
                                      f"评委{judge.code} {judge.name}" if judge else "", crit) if x)

    def go_to_selected_mismatch(self) -> None:
        m = self._current(self.mismatch_view, self.mismatch_model)
        if isinstance(m, Mismatch):
            slot: Slot = m.slot
            self.open_cell.emit(slot)

    # ---- releasing the ranking and the results board ---------------------------------------------

    def release_ranking(self) -> None:
        if self.contest is None:
            return
        db, contest_id, chief = self.db, self.contest_id, self.host.chief()
        dialog = PinDialog("发布排名", "发布后成绩大屏显示名次、姓名、单位和总分（含团体排名）；发布记入审计日志。\n"
                           "须全部项目已锁定；之后若有项目解锁，发布即失效。",
                           lambda pin, _reason: contest_release.release(db, contest_id, pin, chief),
                           ok_text="发布排名", parent=self)
        dialog.succeeded.connect(lambda _r: self._done("排名已发布，成绩大屏将显示排名"))
        self.host.open_dialog(dialog)

    def withdraw_release(self) -> None:
        if self.contest is None:
            return
        db, contest_id, chief = self.db, self.contest_id, self.host.chief()
        dialog = PinDialog("撤回发布", "撤回后成绩大屏不再显示排名，回到录入进度；撤回及原因记入审计日志。",
                           lambda pin, reason: contest_release.withdraw(db, contest_id, pin, chief, reason),
                           ok_text="撤回发布", reason_label="撤回原因：", reason_hint="如：发现录入错误，须复核",
                           parent=self)
        dialog.succeeded.connect(lambda _r: self._done("已撤回发布，成绩大屏回到录入进度"))
        self.host.open_dialog(dialog)

    def open_board(self, present: bool = True) -> QWidget | None:
        """Open (or bring back) the results board for this contest."""
        if self.contest is None:
            return None
        from ui.results_board import ResultsBoard

        board = self.board
        if not isinstance(board, ResultsBoard) or board.contest_id != self.contest_id or not board.isVisible():
            if board is not None:
                board.close()
            board = ResultsBoard(self.db, self.contest_id)
            board.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            board.destroyed.connect(lambda *_: setattr(self, "board", None))
            self.board = board
        if present:
            board.present()
        return board
