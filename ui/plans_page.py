"""The annual plan page (年度培训计划): one plan per unit and year, its items, plan against actual, and the
plan's Excel and PDF files. Training bases are kept from here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import plans, training
from trainer.amounts import fmt
from trainer.plan_fields import Lookups, audience_text, money, totals, when_text
from trainer.plan_import import default_title
from trainer.plans import ItemActual, Plan, PlanError, PlanItem
from trainer.units import Unit, all_units
from ui.bases_dialog import BasesDialog
from ui.person_dialog import ERROR_STYLE, UnitCombo
from ui.plan_import_dialog import PlanImportDialog
from ui.plan_item_dialog import PlanItemDialog
from ui.row_model import OBJECT_ROLE, SORT_ROLE, RowModel

ITEM_HEADERS = ("项目名称", "培训类型", "培训对象", "计划时间", "天数", "学时", "培训基地", "主办单位", "预算（元）",
                "计划人数", "状态")
ITEM_ALIGN = "LLLCRRLLRRC"
ITEM_WIDTHS = (230, 100, 210, 140, 50, 50, 170, 150, 100, 70)
ACTUAL_HEADERS = ("项目名称", "培训类型", "计划时间", "计划人数", "计划学时", "已办班次", "参训人数", "结业人数",
                  "已授学时", "执行情况")
ACTUAL_ALIGN = "LLCRRRRRRL"
ACTUAL_TIPS = ("", "", "", "", "每人计划学时", "由本项目开办、已开班或已结束的培训班个数（筹备中的不计）",
               "已开班各班的报名人数之和",
               "已结束的班中结业的人数", "已开班各班的课程学时之和", "")
ACTUAL_WIDTHS = (230, 100, 140, 70, 70, 70, 70, 70, 70)
CLASSES_SECTION = "培训班"
EXCEL_FILTER = "Excel 工作簿 (*.xlsx)"
PDF_FILTER = "PDF 文件 (*.pdf)"


def _table(model: RowModel, widths: tuple[int, ...]) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the plan's own order until a header is clicked
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(26)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for c, w in enumerate(widths):
        header.resizeSection(c, w)
    return view, proxy


def _actual_state(a: ItemActual) -> str:
    if a.item.status == "已取消":
        return "已取消"
    preparing = f"（筹备中{a.preparing}期）" if a.preparing else ""
    if not a.classes:
        return "未开班" + preparing
    text = f"已开班{a.classes}期{preparing}"
    if a.item.planned_people:
        text += f"，参训达计划的{a.enrolled * 100 // a.item.planned_people}%"
    return text


class PlansPage(QWidget):
    """Emits `data_changed` after any change it makes (plans, items, bases, classes opened from items)."""

    data_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.main_window = parent
        self.today = today or dt.date.today()
        self.plan: Plan | None = None
        self.items: list[PlanItem] = []
        self.units: list[Unit] = all_units(db)
        self.lookups = Lookups.load(db)
        self.item_dialog: PlanItemDialog | None = None
        self.bases_dialog: BasesDialog | None = None
        self.import_dialog: PlanImportDialog | None = None
        self._actual_stale = True
        self._loading = False
        self._build()
        self.unit_combo.set_unit(self._default_unit())
        self.load()

    # ---- layout --------------------------------------------------------------------------------------

    def _build(self) -> None:
        title = QLabel("年度培训计划")
        title.setStyleSheet("font-size:16px; font-weight:bold;")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(self.today.year)
        self.year_spin.setSuffix(" 年度")
        self.unit_combo = self._unit_combo()
        self.year_spin.valueChanged.connect(lambda *_: self.load())

        self.new_button = QPushButton("新建计划")
        self.copy_button = QPushButton("复制上年计划")
        self.delete_plan_button = QPushButton("删除计划")
        self.bases_button = QPushButton("培训基地…")
        self.import_button = QPushButton("导入计划…")
        self.export_button = QPushButton("导出计划…")
        self.print_button = QPushButton("打印计划")
        self.new_button.clicked.connect(self.new_plan)
        self.copy_button.clicked.connect(self.copy_last_year)
        self.delete_plan_button.clicked.connect(self.delete_plan)
        self.bases_button.clicked.connect(self.open_bases_dialog)
        self.import_button.clicked.connect(lambda: self.open_import_dialog())
        self.export_button.clicked.connect(lambda: self.export_plan())
        self.print_button.clicked.connect(lambda: self.print_plan())
        self.top = top = QHBoxLayout()
        top.addWidget(QLabel("年度："))
        top.addWidget(self.year_spin)
        top.addSpacing(8)
        top.addWidget(QLabel("单位："))
        top.addWidget(self.unit_combo)
        top.addSpacing(12)
        for b in (self.new_button, self.copy_button, self.delete_plan_button):
            top.addWidget(b)
        top.addStretch(1)
        for b in (self.bases_button, self.import_button, self.export_button, self.print_button):
            top.addWidget(b)

        # Plan header: title, status, note, saved together.
        self.title_edit = QLineEdit()
        self.status_combo = QComboBox()
        self.status_combo.addItems(plans.PLAN_STATUSES)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("如：经局党组会议研究通过")
        self.save_plan_button = QPushButton("保存计划信息")
        self.save_plan_button.clicked.connect(self.save_plan_header)
        self.header_error = QLabel()
        self.header_error.setStyleSheet(ERROR_STYLE)
        for w in (self.title_edit, self.note_edit):
            w.textEdited.connect(lambda *_: self._header_edited())
        self.status_combo.activated.connect(lambda *_: self._header_edited())
        header_box = QGroupBox("计划信息")
        h = QHBoxLayout(header_box)
        h.addWidget(QLabel("计划名称："))
        h.addWidget(self.title_edit, 3)
        h.addWidget(QLabel("状态："))
        h.addWidget(self.status_combo)
        h.addWidget(QLabel("备注："))
        h.addWidget(self.note_edit, 2)
        h.addWidget(self.save_plan_button)

        # Items tab.
        self.items_model = RowModel(ITEM_HEADERS, ITEM_ALIGN)
        self.items_view, self.items_proxy = _table(self.items_model, ITEM_WIDTHS)
        self.items_view.doubleClicked.connect(lambda *_: self.edit_item())
        self.items_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.add_item_button = QPushButton("添加项目…")
        self.edit_item_button = QPushButton("编辑项目…")
        self.delete_item_button = QPushButton("删除项目")
        self.add_item_button.clicked.connect(lambda: self.add_item())
        self.edit_item_button.clicked.connect(lambda: self.edit_item())
        self.delete_item_button.clicked.connect(self.delete_item)
        self.totals_label = QLabel()
        self.totals_label.setStyleSheet("color:#333;")
        item_buttons = QHBoxLayout()
        for b in (self.add_item_button, self.edit_item_button, self.delete_item_button):
            item_buttons.addWidget(b)
        item_buttons.addStretch(1)
        items_tab = QWidget()
        it = QVBoxLayout(items_tab)
        it.addLayout(item_buttons)
        it.addWidget(self.items_view, 1)
        it.addWidget(self.totals_label)

        # Plan-vs-actual tab.
        self.actual_model = RowModel(ACTUAL_HEADERS, ACTUAL_ALIGN, ACTUAL_TIPS)
        self.actual_view, self.actual_proxy = _table(self.actual_model, ACTUAL_WIDTHS)
        self.actual_view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.open_class_button = QPushButton("按所选项目开班")
        self.open_class_button.setToolTip("按计划项目的名称、类型、时间、基地和人数新建一个培训班（筹备），"
                                          "再到“培训班”页面补充课程和学员")
        self.open_class_button.clicked.connect(lambda: self.open_class())
        actual_hint = QLabel("结业人数只计已结束的培训班；培训班在“培训班”页面管理。")
        actual_hint.setStyleSheet("color:#555;")
        self.actual_summary = QLabel()
        actual_buttons = QHBoxLayout()
        actual_buttons.addWidget(self.open_class_button)
        actual_buttons.addWidget(actual_hint)
        actual_buttons.addStretch(1)
        actual_tab = QWidget()
        at = QVBoxLayout(actual_tab)
        at.addLayout(actual_buttons)
        at.addWidget(self.actual_view, 1)
        at.addWidget(self.actual_summary)

        self.tabs = QTabWidget()
        self.tabs.addTab(items_tab, "计划项目")
        self.tabs.addTab(actual_tab, "计划执行情况")
        self.tabs.currentChanged.connect(lambda *_: self._load_actual_if_shown())

        plan_box = QWidget()
        pb = QVBoxLayout(plan_box)
        pb.setContentsMargins(0, 0, 0, 0)
        pb.addWidget(header_box)
        pb.addWidget(self.tabs, 1)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color:#555; font-size:14px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(plan_box)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.header_error)
        layout.addWidget(self.stack, 1)

    # ---- loading -------------------------------------------------------------------------------------

    def _unit_combo(self) -> UnitCombo:
        combo = UnitCombo(self.units)
        combo.setMinimumWidth(240)
        combo.currentIndexChanged.connect(lambda *_: self.load())
        return combo

    def _default_unit(self) -> int | None:
        """The first unit with a plan this year (in tree order), else the bureau itself."""
        planned = {p.unit_id for p in plans.plans(self.db, self.year)}
        chosen = next((u for u in self.units if u.id in planned), None) or next(iter(self.units), None)
        return chosen.id if chosen else None

    @property
    def year(self) -> int:
        return self.year_spin.value()

    @property
    def unit_id(self) -> int | None:
        data = self.unit_combo.currentData()
        return int(data) if data is not None else None

    @property
    def unit_name(self) -> str:
        return self.lookups.units.name(self.unit_id) if self.unit_id in self.lookups.units.by_id else ""

    def set_unit(self, unit_id: int) -> None:
        self.unit_combo.set_unit(unit_id)

    def _plan_of(self, unit_id: int | None, year: int) -> Plan | None:
        return next((p for p in plans.plans(self.db, year) if p.unit_id == unit_id), None) if unit_id else None

    def refresh(self) -> None:
        """Re-read units, bases and the shown plan (after changes made on other pages)."""
        units = all_units(self.db)
        if [(u.id, u.name, u.parent_id) for u in units] != [(u.id, u.name, u.parent_id) for u in self.units]:
            keep = self.unit_id
            self._loading = True
            try:
                self.units = units
                old, self.unit_combo = self.unit_combo, self._unit_combo()
                self.top.replaceWidget(old, self.unit_combo)
                old.deleteLater()
                self.unit_combo.set_unit(keep if keep in {u.id for u in units} else self._default_unit())
            finally:
                self._loading = False
        self.load()

    def load(self) -> None:
        """Show the plan of the chosen unit and year (or say there is none)."""
        if self._loading:
            return
        self.lookups = Lookups.load(self.db)
        self.plan = self._plan_of(self.unit_id, self.year)
        self.header_error.setText("")
        self.header_error.setVisible(False)
        if self.plan is None:
            self.items = []
            last = self._plan_of(self.unit_id, self.year - 1)
            name = self.unit_name or "所选单位"
            self.empty_label.setText(
                f"{name}{self.year}年度尚无培训计划。\n\n可点击“新建计划”从空白开始"
                + (f"，或“复制上年计划”以{self.year - 1}年度的计划为底稿" if last else "")
                + "，也可“导入计划…”从 Excel 文件导入。")
            self.stack.setCurrentIndex(0)
        else:
            self.title_edit.setText(self.plan.title)
            self.status_combo.setCurrentText(self.plan.status)
            self.note_edit.setText(self.plan.note)
            self.items = plans.items(self.db, int(self.plan.id or 0))
            self.stack.setCurrentIndex(1)
        self._fill_items()
        self._actual_stale = True
        self._load_actual_if_shown()
        self._update_buttons()

    def _fill_items(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else (i.id if (i := self.selected_item()) else None)
        lk = self.lookups
        cells = []
        keys = []
        for i in self.items:
            organiser = lk.units.name(i.organiser_unit_id) if i.organiser_unit_id in lk.units.by_id else ""
            cells.append((i.title, i.type, audience_text(i.audience, lk), when_text(i), fmt(i.days), fmt(i.hours),
                           lk.base_name(i.base_id), organiser, money(i.budget),
                           str(i.planned_people) if i.planned_people else "", i.status))
            when = (i.start_date or dt.date(self.year, i.planned_month or 12, 1)).isoformat()
            keys.append((i.title, i.type, cells[-1][2], when, i.days, i.hours, cells[-1][6], organiser, i.budget,
                         i.planned_people, i.status))
        self.items_model.set_rows(self.items, cells, keys, [i.status == "已取消" for i in self.items])
        days, hours, budget, people = totals(self.items)
        cancelled = sum(1 for i in self.items if i.status == "已取消")
        self.totals_label.setText(
            f"共 {len(self.items)} 项" + (f"（已取消 {cancelled} 项，不计入合计）" if cancelled else "")
            + f"　合计：{fmt(days)} 天，{fmt(hours)} 学时，预算 {money(budget)} 元"
            + (f"，计划培训 {people} 人次" if people else ""))
        self.tabs.setTabText(0, f"计划项目（{len(self.items)}）")
        if keep is not None:
            self._select(self.items_view, self.items_proxy, keep)

    def _load_actual_if_shown(self) -> None:
        # Plan-vs-actual reads every class's outcomes: only when someone looks at it.
        if self.tabs.currentIndex() != 1 or not self._actual_stale:
            return
        self._actual_stale = False
        keep = a.item.id if (a := self.selected_actual()) else None
        actual = plans.plan_vs_actual(self.db, int(self.plan.id or 0)) if self.plan else []
        cells = [(a.item.title, a.item.type, when_text(a.item), str(a.item.planned_people or ""), fmt(a.item.hours),
                  str(a.classes), str(a.enrolled), str(a.completed), fmt(a.hours_held), _actual_state(a))
                 for a in actual]
        keys = [(a.item.title, a.item.type, (a.item.start_date or dt.date(self.year, a.item.planned_month or 12, 1))
                 .isoformat(), a.item.planned_people, a.item.hours, a.classes, a.enrolled, a.completed, a.hours_held,
                 c[-1]) for a, c in zip(actual, cells, strict=True)]
        self.actual_model.set_rows(actual, cells, keys, [a.item.status == "已取消" for a in actual])
        held = sum(1 for a in actual if a.classes)
        self.actual_summary.setText(
            f"{len(actual)} 个项目中已开班 {held} 个；共办班 {sum(a.classes for a in actual)} 期，"
            f"参训 {sum(a.enrolled for a in actual)} 人次，结业 {sum(a.completed for a in actual)} 人次。")
        if keep is not None:
            self._select(self.actual_view, self.actual_proxy, keep)
        self._update_buttons()

    def show_actual(self) -> None:
        self.tabs.setCurrentIndex(1)
        self._load_actual_if_shown()

    @staticmethod
    def _select(view: QTableView, proxy: QSortFilterProxyModel, item_id: int | None) -> None:
        model = proxy.sourceModel()
        for row in range(model.rowCount()):
            obj = model.index(row, 0).data(OBJECT_ROLE)
            if getattr(obj, "id", None) == item_id or getattr(getattr(obj, "item", None), "id", None) == item_id:
                view.selectRow(proxy.mapFromSource(model.index(row, 0)).row())
                return

    def select_item(self, title: str) -> None:
        """Select the item with this title in both tables."""
        found = next((i for i in self.items if i.title == title), None)
        if found is not None:
            self._select(self.items_view, self.items_proxy, found.id)
            self._select(self.actual_view, self.actual_proxy, found.id)

    def selected_item(self) -> PlanItem | None:
        rows = self.items_view.selectionModel().selectedRows()
        return rows[0].data(OBJECT_ROLE) if rows else None

    def selected_actual(self) -> ItemActual | None:
        rows = self.actual_view.selectionModel().selectedRows()
        return rows[0].data(OBJECT_ROLE) if rows else None

    def _update_buttons(self) -> None:
        has_plan = self.plan is not None
        has_unit = self.unit_id is not None
        last = self._plan_of(self.unit_id, self.year - 1)
        self.new_button.setEnabled(has_unit and not has_plan)
        self.copy_button.setEnabled(has_unit and not has_plan and last is not None)
        self.copy_button.setToolTip(
            "本年度已有计划" if has_plan else
            (f"以{self.year - 1}年度“{last.title}”为底稿" if last else f"该单位没有{self.year - 1}年度的计划"))
        self.delete_plan_button.setEnabled(has_plan)
        self.export_button.setEnabled(has_plan)
        self.print_button.setEnabled(has_plan)
        self.import_button.setEnabled(has_unit)
        chosen = self.selected_item() is not None
        self.edit_item_button.setEnabled(chosen)
        self.delete_item_button.setEnabled(chosen)
        self.add_item_button.setEnabled(has_plan)
        actual = self.selected_actual()
        self.open_class_button.setEnabled(actual is not None and actual.item.status != "已取消")
        self.save_plan_button.setEnabled(has_plan and self._header_dirty())

    def _header_dirty(self) -> bool:
        p = self.plan
        return p is not None and (self.title_edit.text(), self.status_combo.currentText(), self.note_edit.text()) != (
            p.title, p.status, p.note)

    def _header_edited(self) -> None:
        self.save_plan_button.setEnabled(self._header_dirty())

    def _changed(self) -> None:
        self.load()
        self.data_changed.emit()

    # ---- plans ---------------------------------------------------------------------------------------

    def new_plan(self) -> None:
        if self.unit_id is None or self.plan is not None:
            return
        self._try(lambda: plans.save_plan(self.db, Plan(None, self.unit_id or 0, self.year,
                                                           default_title(self.unit_name, self.year))))

    def copy_last_year(self) -> None:
        last = self._plan_of(self.unit_id, self.year - 1)
        if last is None or self.plan is not None:
            return
        self._try(lambda: plans.copy_plan(self.db, int(last.id or 0), self.year))

    def delete_plan(self) -> None:
        p = self.plan
        if p is None:
            return
        if not self.confirm("删除计划", f"确定删除“{p.title}”及其全部 {len(self.items)} 个项目吗？\n"
                                        "由这些项目开办的培训班保留，只是不再关联到计划。"):
            return
        self._try(lambda: plans.delete_plan(self.db, int(p.id or 0)))

    def save_plan_header(self) -> None:
        p = self.plan
        if p is None:
            return
        changed = Plan(p.id, p.unit_id, p.year, self.title_edit.text(), self.status_combo.currentText(),
                       self.note_edit.text().strip())
        self._try(lambda: plans.save_plan(self.db, changed))

    def _try(self, change: Callable[[], object]) -> bool:
        """Run a plan change; a refusal is shown above the plan and leaves the form as typed."""
        try:
            change()
        except PlanError as exc:
            self.header_error.setText(str(exc))
            self.header_error.setVisible(True)
            return False
        self._changed()
        return True

    # ---- items ---------------------------------------------------------------------------------------

    def open_item_dialog(self, item: PlanItem | None) -> PlanItemDialog:
        assert self.plan is not None
        order = max((i.sort_order for i in self.items), default=-1) + 1
        self.item_dialog = PlanItemDialog(self.db, int(self.plan.id or 0), item, self, next_order=order)
        self.item_dialog.item_saved.connect(self._item_saved)
        self.item_dialog.open()
        return self.item_dialog

    def add_item(self) -> PlanItemDialog | None:
        return self.open_item_dialog(None) if self.plan is not None else None

    def edit_item(self) -> PlanItemDialog | None:
        item = self.selected_item()
        return self.open_item_dialog(item) if item is not None else None

    def _item_saved(self, item: PlanItem) -> None:
        self._changed()
        self._select(self.items_view, self.items_proxy, item.id)
        self._update_buttons()

    def delete_item(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        held = self.db.execute("SELECT COUNT(*) FROM classes WHERE plan_item_id = ?", [item.id]).fetchone()[0]
        extra = f"\n由它开办的 {held} 个培训班保留，只是不再关联到计划。" if held else ""
        if self.confirm("删除项目", f"确定删除计划项目“{item.title}”吗？{extra}"):
            plans.delete_item(self.db, int(item.id or 0))
            self._changed()

    # ---- plan against actual -----------------------------------------------------------------------------

    def open_class(self) -> training.TrainingClass | None:
        """A class (筹备) from the selected item, then an offer to go to 培训班 to fill it in."""
        actual = self.selected_actual()
        if actual is None or self.plan is None:
            return None
        c = plans.class_from_item(actual.item, self.plan.year)
        opened = actual.classes + actual.preparing
        if opened:
            c = replace(c, title=f"{c.title}（第{opened + 1}期）")
        try:
            saved = training.save_class(self.db, c)
        except training.TrainingError as exc:
            self.show_error(f"未能开班：{exc}")
            return None
        self._changed()
        self.show_actual()
        self._select(self.actual_view, self.actual_proxy, actual.item.id)
        text = (f"已按计划项目“{actual.item.title}”新建培训班“{saved.title}”（{saved.start_date}至{saved.end_date}，"
                "筹备）。\n请在“培训班”页面调整日期，添加课程和学员。")
        go = getattr(self.main_window, "show_section", None)
        if callable(go) and CLASSES_SECTION in getattr(self.main_window, "sections", {}):
            if self.confirm("开班", text + "\n\n现在前往“培训班”页面吗？"):
                go(CLASSES_SECTION)
        else:
            self.show_info("开班", text)
        return saved

    # ---- bases, files ------------------------------------------------------------------------------------

    def open_bases_dialog(self) -> BasesDialog:
        self.bases_dialog = BasesDialog(self.db, self)
        self.bases_dialog.changed.connect(self._changed)
        self.bases_dialog.open()
        return self.bases_dialog

    def open_import_dialog(self, path: str | None = None) -> PlanImportDialog | None:
        if self.unit_id is None:
            return None
        self.import_dialog = PlanImportDialog(self.db, self.unit_id, self.unit_name, self.year, self, path)
        self.import_dialog.imported.connect(lambda *_: self._changed())
        self.import_dialog.open()
        return self.import_dialog

    def _file_stem(self) -> str:
        return default_title(self.unit_name, self.year)

    def export_plan(self, path: str | None = None) -> Path | None:
        if self.plan is None:
            return None
        path = path or self.ask_save_path("导出计划", f"{self._file_stem()}.xlsx", EXCEL_FILTER)
        if not path:
            return None
        from exports.excel import Sheet, write_xlsx
        from trainer.plan_import import SHEET_NAME, export_rows

        headers, rows = export_rows(self.db, int(self.plan.id or 0))
        try:
            written = write_xlsx(path, [Sheet(SHEET_NAME, headers, rows)])
        except Exception as exc:  # xlsxwriter wraps a locked file in its own error type
            self.show_error(f"无法写入 {path}（文件是否正在 Excel 中打开？）\n{exc}")
            return None
        self.status(f"已导出 {len(rows)} 个计划项目到 {written}")
        return written

    def print_plan(self, path: str | None = None) -> Path | None:
        if self.plan is None:
            return None
        path = path or self.ask_save_path("打印计划", f"{self._file_stem()}.pdf", PDF_FILTER)
        if not path:
            return None
        from exports.fonts import FontError
        from exports.glyphs import MissingGlyphsError
        from exports.plan_pdf import build_plan_pdf

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = build_plan_pdf(self.db, int(self.plan.id or 0), path, today=self.today)
        except (FontError, MissingGlyphsError, OSError) as exc:
            QApplication.restoreOverrideCursor()
            self.show_error(f"未能生成 PDF：{exc}")
            return None
        QApplication.restoreOverrideCursor()
        self.status(f"已生成 {written}")
        if self.confirm("打印计划", f"已生成 {written}\n\n现在打开吗？"):
            self.open_file(written)
        return written

    # ---- questions and messages (tests replace these) ------------------------------------------------------

    def ask_save_path(self, title: str, name: str, file_filter: str) -> str | None:
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), file_filter)
        if chosen and "." not in Path(chosen).name:
            chosen += Path(name).suffix
        return chosen or None

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, "培训计划", text)

    def show_info(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)

    def open_file(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def status(self, text: str) -> None:
        show = getattr(self.main_window, "show_message", None)
        if callable(show):
            show(text)
