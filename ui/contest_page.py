"""The 技能比武 page: the contests on the left (and 导入比武工作簿…), the chosen contest's 设置 / 评分录入 /
核查与锁定 / 成绩排名 on the right. A chief judge runs a contest end to end here: import, draw, scores typed
from the paper sheets, spread checks, locks, the ranking with its explanation, exports and awards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import contest, contest_people, scoring
from trainer.contest import Contest
from trainer.contest_import import ImportedContest
from ui.contest_checks_tab import ChecksTab
from ui.contest_entry_tab import EntryTab
from ui.contest_ranking_tab import RankingTab
from ui.contest_setup_tab import SetupTab
from ui.contest_tab import ContestTab
from ui.page_base import BurstNoticePage, column, rich_label, splitter

DEFAULT_CLERK = "记分员"
CONTEST_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ContestPage(BurstNoticePage):
    """Built by the main window as ContestPage(db, main_window); `data_changed` after every change."""

    def __init__(self, db: Database, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(db, parent, today)
        self.current: Contest | None = None
        self._stale: set[ContestTab] = set()
        self._build()
        self.reload_list()

    # ---- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.contest_list = QListWidget()
        self.contest_list.setWordWrap(True)
        self.contest_list.setSpacing(2)
        self.import_button = QPushButton("导入比武工作簿…")
        self.import_button.setToolTip("从 Excel 工作簿导入比武的项目、选手、评委（和已有成绩）：先预览问题，无误才写入")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("比武")
        title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        left_layout.addWidget(title)
        left_layout.addWidget(self.contest_list, 1)
        self.new_button = QPushButton("新建比武…")
        self.new_button.setToolTip("在窗口中设置一次比武：名称、日期、地点；随后在“设置”页添加项目、评委和选手")
        left_layout.addWidget(self.new_button)
        left_layout.addWidget(self.import_button)
        # The judges' laptops (issue #7): kits out on a USB stick, signed score files back in.
        self.kits_button = QPushButton("导出评委评分包…")
        self.kits_button.setToolTip("每位评委一个评分包（只含其评分项目与选手编号），拷到评委自己的电脑上评分")
        self.reopen_codes_button = QPushButton("查看评委重开码…")
        self.reopen_codes_button.setToolTip("评委提交后如需修改，裁判长凭PIN在此查看该评委的8位重开码，"
                                            "到评委电脑上输入以重新打开评分表（每次查看记入审计日志）")
        self.merge_button = QPushButton("合并评委评分文件…")
        self.merge_button.setToolTip("导入评委提交的评分文件：先校验签名，任何文件有问题则全部不写入")
        self.conflicts_button = QPushButton("裁定评分冲突…")
        for button in (self.kits_button, self.reopen_codes_button, self.merge_button, self.conflicts_button):
            left_layout.addWidget(button)
        left.setMinimumWidth(190)

        self.header_label = rich_label()
        self.clerk_edit = QLineEdit(DEFAULT_CLERK)
        self.clerk_edit.setMaximumWidth(140)
        self.clerk_edit.setToolTip("录入、撤销成绩和导入时记入修改记录的操作人")
        head = QHBoxLayout()
        head.addWidget(self.header_label, 1)
        head.addWidget(QLabel("录入员："))
        head.addWidget(self.clerk_edit)

        self.setup_tab = SetupTab(self.db, self)
        self.entry_tab = EntryTab(self.db, self)
        self.checks_tab = ChecksTab(self.db, self)
        self.ranking_tab = RankingTab(self.db, self)
        self.tabs = QTabWidget()
        for tab, name in ((self.setup_tab, "设置"), (self.entry_tab, "评分录入"), (self.checks_tab, "核查与锁定"),
                          (self.ranking_tab, "成绩排名")):
            self.tabs.addTab(tab, name)
            tab.changed.connect(lambda t=tab: self._tab_changed(t))
        right = column(head, self.tabs, self.message_label, stretch=self.tabs)
        box = QVBoxLayout(self)
        box.addWidget(splitter(Qt.Orientation.Horizontal, left, right, (0, 1), [200, 1300]))

        self.contest_list.currentItemChanged.connect(self._contest_chosen)
        self.new_button.clicked.connect(lambda: self.new_contest())
        self.import_button.clicked.connect(lambda: self.import_workbook())
        self.kits_button.clicked.connect(lambda: self.export_kits())
        self.reopen_codes_button.clicked.connect(lambda: self.show_reopen_codes())
        self.merge_button.clicked.connect(lambda: self.merge_score_files())
        self.conflicts_button.clicked.connect(lambda: self.resolve_conflicts())
        self.tabs.currentChanged.connect(self._tab_shown)
        self.checks_tab.open_cell.connect(self.show_score_cell)

    # ---- the list --------------------------------------------------------------------------------

    def reload_list(self) -> None:
        keep = self.current.id if self.current else None
        self.contest_list.blockSignals(True)
        self.contest_list.clear()
        contests = contest.all_contests(self.db)
        for c in contests:
            item = QListWidgetItem()
            _label(item, c, self.contest_list.fontMetrics())
            self.contest_list.addItem(item)
        self.contest_list.blockSignals(False)
        ids = self.contest_ids()
        if keep in ids:
            self.select_contest(keep)
        elif contests:
            self.select_contest(_being_run(contests).id)
        else:
            self._show(None)

    def contest_ids(self) -> list[int]:
        return [int(self.contest_list.item(i).data(CONTEST_ID_ROLE)) for i in range(self.contest_list.count())]

    def select_contest(self, contest_id: int) -> bool:
        ids = self.contest_ids()
        if contest_id not in ids:
            return False
        self.contest_list.setCurrentRow(ids.index(contest_id))
        if self.current is None or self.current.id != contest_id:
            self._show(contest.get_contest(self.db, contest_id))
        return True

    def _contest_chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        contest_id = item.data(CONTEST_ID_ROLE) if item is not None else None
        if contest_id is None:
            self._show(None)
        elif self.current is None or self.current.id != contest_id:
            self._show(contest.get_contest(self.db, int(contest_id)))

    # ---- the chosen contest ----------------------------------------------------------------------

    def _tabs(self) -> list[ContestTab]:
        return [self.setup_tab, self.entry_tab, self.checks_tab, self.ranking_tab]

    def _show(self, c: Contest | None) -> None:
        self.current = c
        for tab in self._tabs():
            tab.contest = c
        self._stale = set(self._tabs())
        self.tabs.setEnabled(c is not None)
        self._tab_shown()
        self._update_header()

    def _tab_shown(self, *_: object) -> None:
        """Tabs load when shown: typing scores must not recompute the ranking on every key, and the window
        starts without reading a contest nobody looks at yet."""
        if not self.isVisible():
            return
        tab = self.tabs.currentWidget()
        if isinstance(tab, ContestTab) and tab in self._stale:
            self._stale.discard(tab)
            tab.load(self.current)
        if tab is self.entry_tab:
            self.entry_tab.focus_grid()  # ready for the first key

    def show_score_cell(self, slot: scoring.Slot) -> None:
        """From the checks tab to one cell of the entry grid (a double-entry mismatch)."""
        self.tabs.setCurrentWidget(self.entry_tab)
        self.entry_tab.show_slot(slot)

    def _tab_changed(self, tab: ContestTab) -> None:
        if self.current is not None and not tab.bursts:  # a typed score changes no contest row: not at every key
            self.current = contest.get_contest(self.db, self.current.id)  # a PIN or a draw may have changed it
            row = self.contest_list.currentItem()
            if row is not None and self.current is not None:
                _label(row, self.current, self.contest_list.fontMetrics())  # 设置 may have renamed or re-dated it
        for other in self._tabs():
            other.contest = self.current
            if other is not tab:
                self._stale.add(other)
        if tab.bursts:
            self._notify_timer.start()  # the header's progress follows once the burst of keys is over
        else:
            self._notify()

    def _update_header(self) -> None:
        c = self.current
        if c is None:
            self.header_label.setText("<span style='color:#777'>还没有比武。点击左下方“新建比武…”在窗口中设置，"
                                      "或“导入比武工作簿…”从 Excel 工作簿导入比武的项目、选手和评委。</span>")
            return
        items = contest.items(self.db, c.id)
        prog = scoring.progress(self.db, c.id)
        share = f"{prog.entered * 100 // prog.expected}%" if prog.expected else "—"
        locked = sum(1 for it in items if it.locked)
        self.header_label.setText(
            f"<b style='font-size:12pt'>{_escape(c.name)}</b>　<span style='color:#555'>"
            f"{_escape(c.dates_text or '日期未定')}　{_escape(c.venue)}　成绩录入 {prog.entered} / {prog.expected}"
            f"（{share}）　已锁定 {locked} / {len(items)} 个项目</span>")

    def _show_changes(self) -> None:
        self._update_header()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._tab_shown()

    def refresh(self) -> None:
        """Another page changed data (units, people): re-read what is shown."""
        self.reload_list()
        if self.current is not None:
            self._show(contest.get_contest(self.db, self.current.id))

    # ---- the host of the tabs --------------------------------------------------------------------

    def clerk(self) -> str:
        return self.clerk_edit.text().strip() or DEFAULT_CLERK

    def chief(self) -> str:
        """Who the log names for the chief judge's acts: read each time, since 设置 can change the 裁判长."""
        c = self.current
        chief = next((j for j in contest_people.judges(self.db, c.id) if j.is_chief), None) if c else None
        return f"裁判长{chief.name}" if chief else "裁判长"

    def new_contest(self) -> None:
        from ui.contest_dialog import ContestDialog

        # a new contest has no judges yet, so no chief judge's name for the log
        dialog = ContestDialog(self.db, "裁判长", parent=self, today=self.today)
        dialog.saved.connect(self._created)
        self.open_dialog(dialog)

    def _created(self, c: Contest) -> None:
        self.current = None
        self.reload_list()
        self.select_contest(c.id)
        self.tabs.setCurrentWidget(self.setup_tab)
        self.show_message(f"已新建比武“{c.name}”。请在“设置”页添加比武项目、评委和选手。")
        self.data_changed.emit()

    def import_workbook(self, path: str | None = None) -> None:
        from ui.contest_import_dialog import ContestImportDialog

        dialog = ContestImportDialog(self.db, self.prompts, self.clerk(), self, path=path)
        dialog.imported.connect(self._imported)
        self.open_dialog(dialog)

    def export_kits(self, folder: str | None = None) -> list[Path]:
        """One kit per judge into a folder (a USB stick); judges without judged items are named, not fatal."""
        from trainer import contest_people, judge_kit

        if self.current is None:
            return []
        folder = folder or self.prompts.folder_path("选择保存评委评分包的文件夹（如U盘）")
        if not folder:
            return []
        written: list[Path] = []
        skipped: dict[str, list[str]] = {}  # reason → judges: one reason shared by every judge is said once
        for judge in contest_people.judges(self.db, self.current.id):
            out = Path(folder) / f"评分包_{judge.code}_{judge.name}.kit"
            try:
                judge_kit.export_kit(self.db, self.current.id, judge.code, out, self.clerk())
                written.append(out)
            except judge_kit.KitError as exc:
                skipped.setdefault(str(exc), []).append(judge.code)
        text = f"已导出 {len(written)} 个评分包到 {folder}"
        if skipped:
            text += "；未导出：" + "；".join(f"{'、'.join(codes)}：{reason}" for reason, codes in skipped.items())
        self.show_message(text)
        return written

    def show_reopen_codes(self) -> None:
        """The chief judge reads a judge's reopen code with the PIN (查看评委重开码); each reveal is audited."""
        from trainer import judge_kit
        from ui.reopen_code_dialog import ReopenCodeDialog

        if self.current is None:
            return
        if not judge_kit.kits(self.db, self.current.id):
            self.prompts.refuse("查看评委重开码", "本次比武还没有导出评委评分包，没有重开码。请先“导出评委评分包…”。")
            return
        dialog = ReopenCodeDialog(self.db, self.current.id, self.chief(), self)
        dialog.succeeded.connect(lambda shown: self.show_message(
            f"已向裁判长显示评委{shown.judge_code}（{shown.judge_name}）的重开码（已记入审计日志）"))
        self.open_dialog(dialog)

    def merge_score_files(self) -> None:
        from ui.merge_dialog import open_merge

        if self.current is None:
            return
        dialog = open_merge(self, self.db, self.current.id, actor=self.clerk(), chief=self.chief())
        dialog.merged.connect(self._scores_changed)

    def resolve_conflicts(self) -> None:
        from ui.conflicts_dialog import ConflictsDialog

        if self.current is None:
            return
        dialog = ConflictsDialog(self.db, self.current.id, self.chief(), self)
        dialog.finished.connect(self._scores_changed)
        self.open_dialog(dialog)

    def _scores_changed(self, *_: object) -> None:
        self.refresh()
        self.data_changed.emit()

    def _imported(self, result: ImportedContest) -> None:
        self.current = None
        self.reload_list()
        self.select_contest(result.contest_id)
        self.tabs.setCurrentWidget(self.setup_tab)
        self.show_message(result.summary())
        self.data_changed.emit()


def _being_run(contests: list[Contest]) -> Contest:
    """The contest the page opens on: the latest held (one without dates is still being set up: latest of all),
    then the newest; a past contest entered afterwards does not take its place."""
    return max(contests, key=lambda c: (c.start_date or c.end_date or dt.date.max, c.id))


def _label(row: QListWidgetItem, c: Contest, metrics: QFontMetrics) -> None:
    lines = (c.name, c.dates_text or "日期未定")
    row.setText("\n".join(lines))
    row.setData(CONTEST_ID_ROLE, c.id)
    row.setToolTip(f"{c.name}（比武编号 {c.id}）{c.venue}")
    # Qt's own hint wraps some two-line texts into three and elides the date away (“第二届执法技能比武…”)
    row.setSizeHint(QSize(max(metrics.horizontalAdvance(t) for t in lines) + 8, 2 * metrics.lineSpacing() + 6))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
