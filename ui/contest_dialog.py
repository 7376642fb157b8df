"""新建比武 / 编辑比武信息: name, dates, venue, organiser, how team results count, and the chief judge's PIN
(needed to lock items; changing it needs the old one). trainer.contest_setup decides what is valid; its
Chinese message shows under the form and everything typed stays in place."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)
from sqlite_utils import Database

from trainer import contest, contest_locks, contest_setup
from trainer.contest import TEAM_BEST, TEAM_SUM, Contest, ContestError, NewContest
from ui.class_dialog import date_edit, pydate, qdate
from ui.class_tab import note_label
from ui.form_dialog import error_line, form_column, pin_edit, save_cancel_buttons, save_form
from ui.form_draft import FormDraft

TEAM_TEXTS = {TEAM_SUM: "各单位全部选手总分之和", TEAM_BEST: "各单位成绩最好的前N名选手总分之和"}


class ContestDialog(QDialog):
    """`contest=None` creates a contest; `saved` carries the contest as stored."""

    saved = Signal(object)

    def __init__(self, db: Database, actor: str, contest: Contest | None = None, parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db, self.actor, self.original = db, actor, contest
        self.result_contest: Contest | None = None
        self.setWindowTitle(f"编辑比武信息 — {contest.name}" if contest else "新建比武")
        self.setMinimumWidth(600)
        day = today or dt.date.today()

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("如 第二届执法技能比武")
        self.dated_check = QCheckBox("日期已定")
        self.dated_check.setChecked(True)
        self.start_edit = date_edit(day)
        self.end_edit = date_edit(day)
        dates = QHBoxLayout()
        dates.addWidget(self.dated_check)
        dates.addWidget(self.start_edit)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        self.venue_edit = QLineEdit()
        self.venue_edit.setPlaceholderText("如 市城管局教育培训中心")
        self.organiser_edit = QLineEdit()
        self.organiser_edit.setPlaceholderText("如 平顶山市城市管理局")
        self.team_combo = QComboBox()
        for mode, text in TEAM_TEXTS.items():
            self.team_combo.addItem(text, mode)
        self.best_spin = QSpinBox()
        self.best_spin.setRange(1, 99)
        self.best_spin.setValue(3)
        self.best_spin.setPrefix("N = ")
        team = QHBoxLayout()
        team.addWidget(self.team_combo, 1)
        team.addWidget(self.best_spin)

        has_pin = contest is not None and contest.has_pin
        self.old_pin_edit = pin_edit("修改PIN时填写原PIN")
        self.pin_edit = pin_edit("不修改请留空" if has_pin else f"至少{contest_locks.MIN_PIN}位，可稍后设置")
        self.pin_again_edit = pin_edit("再次输入新PIN")
        self.error_label = error_line()

        form = QFormLayout()
        form.addRow("比武名称：", self.name_edit)
        form.addRow("比武日期：", dates)
        form.addRow("地点：", self.venue_edit)
        form.addRow("主办单位：", self.organiser_edit)
        form.addRow("团体成绩：", team)
        if has_pin:
            form.addRow("原裁判长PIN：", self.old_pin_edit)
        form.addRow("新裁判长PIN：" if has_pin else "裁判长PIN：", self.pin_edit)
        form.addRow("再次输入：", self.pin_again_edit)
        self.old_pin_edit.setVisible(has_pin)
        self.buttons = save_cancel_buttons(self, self.save, "保存" if contest else "新建")
        form_column(self, form, self.error_label, self.buttons,
                    below=[note_label("裁判长PIN用于锁定项目、确认分差和获奖名单；请牢记，遗失后不能找回。")])

        self.dated_check.toggled.connect(self._update_enabled)
        self.team_combo.currentIndexChanged.connect(self._update_enabled)
        self.start_edit.dateChanged.connect(self._start_changed)
        if contest is not None:
            self._fill(contest)
        self._update_enabled()
        self.draft = FormDraft(self, db, f"contest:{contest.id if contest else 'new'}", self.windowTitle())

    def _fill(self, c: Contest) -> None:
        self.name_edit.setText(c.name)
        self.dated_check.setChecked(c.start_date is not None or c.end_date is not None)
        start = c.start_date or c.end_date
        if start is not None:
            self.start_edit.setDate(qdate(start))
            self.end_edit.setDate(qdate(c.end_date or start))
        self.venue_edit.setText(c.venue)
        self.organiser_edit.setText(c.organiser)
        self.team_combo.setCurrentIndex(max(self.team_combo.findData(c.team_mode), 0))
        if c.team_best_n:
            self.best_spin.setValue(c.team_best_n)

    def _start_changed(self) -> None:
        if self.end_edit.date() < self.start_edit.date():
            self.end_edit.setDate(self.start_edit.date())

    def _update_enabled(self, *_: object) -> None:
        dated = self.dated_check.isChecked()
        self.start_edit.setEnabled(dated)
        self.end_edit.setEnabled(dated)
        self.best_spin.setEnabled(self.team_combo.currentData() == TEAM_BEST)

    def current_spec(self) -> NewContest:
        dated = self.dated_check.isChecked()
        mode = str(self.team_combo.currentData())
        return NewContest(self.name_edit.text().strip(), pydate(self.start_edit.date()) if dated else None,
                          pydate(self.end_edit.date()) if dated else None, self.venue_edit.text().strip(),
                          self.organiser_edit.text().strip(), mode,
                          self.best_spin.value() if mode == TEAM_BEST else None)

    def _new_pin(self) -> str:
        pin, again = self.pin_edit.text(), self.pin_again_edit.text()
        if not pin and not again:
            return ""
        if pin != again:
            raise ContestError("两次输入的PIN不一致")
        if len(pin) < contest_locks.MIN_PIN:
            raise ContestError(f"PIN至少{contest_locks.MIN_PIN}位")
        return pin

    def save(self) -> None:
        save_form(self, self.error_label, self.saved, self._store, ContestError)

    def _store(self) -> Contest:
        spec = self.current_spec()
        contest.validate_contest(spec)
        pin = self._new_pin()
        if self.original is None:
            stored = contest_setup.create_contest(self.db, spec, self.actor)
        else:
            if pin and self.original.has_pin:  # a wrong old PIN counts towards the lock-out
                contest_locks.check_pin(self.db, self.original.id, self.old_pin_edit.text())
            stored = contest_setup.update_contest(self.db, self.original.id, spec, self.actor)
        if pin:
            contest_locks.set_pin(self.db, stored.id, pin, self.actor,
                                  old_pin=self.old_pin_edit.text() if stored.has_pin else None)
            stored = contest.require_contest(self.db, stored.id)
        self.result_contest = stored
        return stored
