"""The award plan: prizes by count or by percentage, the rounding of counts, what happens to a tie at a prize
boundary — shown in full (how each count was reached, every boundary tie, the winners) before the chief
judge confirms the list with the PIN. Changing a setting withdraws the plan until it is made again.

Once a list is confirmed (now or before), 颁发获奖证书 issues the award certificates through the certificate
register (trainer.award_certificates): already-issued ones are not issued twice, and the message says how
many were issued and how many existed; they are printed in 证书管理."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import award_certificates, contest_awards
from trainer.award_certificates import AwardIssue
from trainer.contest import ContestError
from trainer.contest_awards import ROUNDINGS, TIES_DOWN, TIES_UP, AwardPlan, PrizeTier
from trainer.ranking import Ranking
from ui.class_tab import ERROR_STYLE, OK_STYLE, fit_columns, note_label, stretch_column, table_view
from ui.row_model import RowModel
from ui.worker import TaskHandle, run_task

BY_PERCENT, BY_COUNT = "按比例（%）", "按人数"
DEFAULT_TIERS = (("一等奖", BY_PERCENT, "10"), ("二等奖", BY_PERCENT, "20"), ("三等奖", BY_PERCENT, "30"))
WINNER_HEADERS = ("奖项", "名次", "抽签号", "姓名", "单位", "总分")


class TierRow:
    def __init__(self, name: str, mode: str, value: str) -> None:
        self.name = QLineEdit(name)
        self.name.setMaximumWidth(220)
        self.mode = QComboBox()
        self.mode.addItems([BY_PERCENT, BY_COUNT])
        self.mode.setCurrentText(mode)
        self.value = QLineEdit(value)
        self.value.setMaximumWidth(90)

    def tier(self) -> PrizeTier:
        name = self.name.text().strip()
        if not name:
            raise ContestError("奖项名称不能为空")
        text = self.value.text().strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ContestError(f"{name}的{'比例' if self.mode.currentText() == BY_PERCENT else '人数'}"
                               f"“{text}”不是数字") from None
        if self.mode.currentText() == BY_COUNT:
            if number != number.to_integral_value():
                raise ContestError(f"{name}的人数应为整数")
            return PrizeTier(name, count=int(number))
        return PrizeTier(name, percent=number)


class AwardsDialog(QDialog):
    """Emits `confirmed(list[Award])` once the chief judge confirmed the list."""

    confirmed = Signal(object)

    def __init__(self, db: Database, r: Ranking, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.ranking, self.actor = db, r, actor
        self.plan: AwardPlan | None = None
        self.setWindowTitle(f"获奖方案 — {r.contest.name}")
        self.resize(900, 760)

        self.grid = QGridLayout()
        for col, text in enumerate(("奖项", "划定方式", "比例或人数")):
            self.grid.addWidget(QLabel(text), 0, col)
        self.grid.setColumnStretch(3, 1)
        self.rows: list[TierRow] = []
        self.add_button = QPushButton("增加奖项")
        self.remove_button = QPushButton("删除最后一项")
        self.rounding_combo = QComboBox()
        self.rounding_combo.addItems(list(ROUNDINGS))
        self.ties_combo = QComboBox()
        self.ties_combo.addItems([TIES_UP, TIES_DOWN])
        self.plan_button = QPushButton("生成方案")
        settings = QHBoxLayout()
        settings.addWidget(self.add_button)
        settings.addWidget(self.remove_button)
        settings.addSpacing(16)
        settings.addWidget(QLabel("人数取整："))
        settings.addWidget(self.rounding_combo)
        settings.addWidget(QLabel("分界处并列："))
        settings.addWidget(self.ties_combo)
        settings.addStretch(1)
        settings.addWidget(self.plan_button)

        self.basis_text = QPlainTextEdit()
        self.basis_text.setReadOnly(True)
        self.basis_text.setMaximumHeight(150)
        self.basis_text.setPlaceholderText("设置奖项后点击“生成方案”：这里说明每个奖项的人数如何得出，以及分界处的并列。")
        self.winner_model = RowModel(WINNER_HEADERS, "LCCLLR")
        self.winner_view = table_view()
        self.winner_view.setModel(self.winner_model)
        fit_columns(self.winner_view, {0: "一等奖", 1: "名次", 2: "抽签号", 3: "欧阳某某", 4: "城乡一体化示范区",
                                       5: "100.00"})
        stretch_column(self.winner_view, 4)

        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText("裁判长PIN")
        self.pin_edit.setMaximumWidth(160)
        self.confirm_button = QPushButton("确认获奖名单")
        self.cert_button = QPushButton("颁发获奖证书")
        self.cert_button.setToolTip("按已确认的获奖名单颁发获奖证书，记入证书登记；已颁发的不重复颁发")
        self.cert_task: TaskHandle[AwardIssue] | None = None
        self.close_button = QPushButton("关闭")
        self.message_label = note_label()
        for tier in DEFAULT_TIERS:
            self.add_tier(*tier)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("裁判长PIN："))
        bottom.addWidget(self.pin_edit)
        bottom.addWidget(self.confirm_button)
        bottom.addWidget(self.cert_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)

        box = QVBoxLayout(self)
        box.addWidget(note_label(f"参评：成绩完整、已排名的 {len(r.ranked)} 人。比例按参评人数计算；"
                                 "确认前须全部项目已锁定。"))
        box.addLayout(self.grid)
        box.addLayout(settings)
        box.addWidget(QLabel("方案说明："))
        box.addWidget(self.basis_text)
        box.addWidget(QLabel("获奖名单（确认前的预览）："))
        box.addWidget(self.winner_view, 1)
        box.addWidget(self.message_label)
        box.addLayout(bottom)

        self.add_button.clicked.connect(lambda: self.add_tier(f"第{len(self.rows) + 1}项奖", BY_COUNT, "0"))
        self.remove_button.clicked.connect(self.remove_tier)
        self.plan_button.clicked.connect(self.make_plan)
        self.confirm_button.clicked.connect(self.confirm)
        self.cert_button.clicked.connect(self.issue_certificates)
        self.cert_button.setEnabled(bool(contest_awards.awards(db, r.contest.id)))
        self.close_button.clicked.connect(self.reject)
        for combo in (self.rounding_combo, self.ties_combo):
            combo.currentIndexChanged.connect(self._withdraw)
        self._withdraw()

    def add_tier(self, name: str, mode: str, value: str) -> None:
        row = TierRow(name, mode, value)
        n = len(self.rows) + 1
        self.grid.addWidget(row.name, n, 0)
        self.grid.addWidget(row.mode, n, 1)
        self.grid.addWidget(row.value, n, 2)
        row.name.textEdited.connect(self._withdraw)
        row.value.textEdited.connect(self._withdraw)
        row.mode.currentIndexChanged.connect(self._withdraw)
        self.rows.append(row)
        self._withdraw()

    def remove_tier(self) -> None:
        if len(self.rows) <= 1:
            return
        row = self.rows.pop()
        for w in (row.name, row.mode, row.value):
            self.grid.removeWidget(w)
            w.deleteLater()
        self._withdraw()

    def _withdraw(self, *_: object) -> None:
        """A changed setting: the plan shown no longer matches it."""
        if self.plan is not None:
            self.message_label.setStyleSheet("color:#6b4e00;")
            self.message_label.setText("设置已改变，请重新生成方案后再确认。")
        self.plan = None
        self.confirm_button.setEnabled(False)

    def make_plan(self) -> None:
        try:
            tiers = [row.tier() for row in self.rows]
            plan = contest_awards.plan_awards(self.ranking, tiers, rounding=self.rounding_combo.currentText(),
                                              tie_policy=self.ties_combo.currentText())
        except ContestError as exc:
            self.fail(str(exc))
            return
        self.plan = plan
        self.basis_text.setPlainText(plan.basis_text())
        rows, objects = [], []
        for tp in plan.tiers:
            for s in tp.winners:
                objects.append(s)
                rows.append([tp.tier.name, str(s.place or ""), str(s.competitor.draw_no or ""), s.competitor.name,
                             s.unit, s.total_text])
        self.winner_model.set_rows(objects, rows)
        ties = f"，分界处并列 {len(plan.ties)} 处（见方案说明）" if plan.ties else "，分界处没有并列"
        self.message_label.setStyleSheet(OK_STYLE)
        self.message_label.setText(f"方案：获奖 {len(objects)} 人{ties}。核对无误后输入PIN确认。")
        self.confirm_button.setEnabled(True)

    def confirm(self) -> None:
        if self.plan is None:
            return
        try:
            awards = contest_awards.confirm_awards(self.db, self.ranking.contest.id, self.plan, self.pin_edit.text(),
                                                   self.actor)
        except ContestError as exc:
            self.fail(f"未确认：{exc}")
            return
        self.confirmed.emit(awards)
        self.message_label.setStyleSheet(OK_STYLE)
        self.message_label.setText(f"已确认获奖名单（{len(awards)} 人），记入审计日志。"
                                   "可点击“颁发获奖证书”记入证书登记。")
        self.confirm_button.setEnabled(False)
        self.cert_button.setEnabled(bool(awards))

    def issue_certificates(self) -> None:
        """获奖证书 for the confirmed list, on the worker; the outcome is said in the message line."""
        db, contest_id = self.db, self.ranking.contest.id
        self.cert_button.setEnabled(False)

        def done(result: AwardIssue) -> None:
            self.message_label.setStyleSheet(OK_STYLE)
            self.message_label.setText(result.summary())
            self.cert_button.setEnabled(True)

        def failed(exc: BaseException) -> None:
            self.fail(f"未颁发获奖证书：{exc}")
            self.cert_button.setEnabled(True)

        self.cert_task = run_task(self, "颁发获奖证书", lambda _ctx: award_certificates.issue(db, contest_id), done,
                                  failed, cancellable=False)

    def fail(self, text: str) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.setText(text)
