"""The training side of the person detail (一人一档): every training record, days and 学时 per year, the
certificates issued, and the compliance checks for today — the same PersonalFile the printed file is made from."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from trainer.amounts import fmt
from trainer.dates import iso
from trainer.personal_file import PersonalFile
from ui.text_table import TextTableModel

HISTORY_HEADERS = ("培训名称", "培训类型", "开始日期", "结束日期", "天数", "学时", "结业", "来源", "主办单位")
YEAR_HEADERS = ("年度", "培训次数", "其中结业", "结业天数", "结业学时")
CERT_HEADERS = ("证书编号", "类型", "内容", "发证日期", "学时", "证书状态", "打印次数")
CHECK_HEADERS = ("检查项", "状态", "应完成日期", "说明")


def _table(model: TextTableModel, widths: tuple[int, ...]) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for c, w in enumerate(widths):
        header.resizeSection(c, w)
    return view


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("color: #666;")
    label.setWordWrap(True)
    return label


class TrainingTab(QWidget):
    """培训记录: all records, class and external, newest first; below them the totals per year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history_model = TextTableModel(HISTORY_HEADERS, "LLCCRRCCL")
        self.history_view = _table(self.history_model, (250, 100, 92, 92, 50, 60, 50, 70))
        self.years_model = TextTableModel(YEAR_HEADERS, "CRRRR")
        self.years_view = _table(self.years_model, ())
        self.years_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.years_view.setMaximumHeight(150)
        self.empty = _muted("暂无培训记录：结束的培训班和导入的外部培训记录会列在这里。")
        box = QVBoxLayout(self)
        box.addWidget(self.empty)
        box.addWidget(self.history_view, 3)
        box.addWidget(QLabel("年度统计（天数、学时只计已结业的培训）"))
        box.addWidget(self.years_view, 1)

    def show_file(self, f: PersonalFile) -> None:
        recs = sorted(f.records, key=lambda r: (r.start_date, r.title), reverse=True)
        self.history_model.set_rows(
            [(r.title, r.type, iso(r.start_date), iso(r.end_date), fmt(r.days), fmt(r.hours),
              "是" if r.completed else "否", r.source, r.organiser) for r in recs])
        self.years_model.set_rows(
            [(f"{y.year}年", str(y.records), str(y.completed), fmt(y.days), fmt(y.hours)) for y in f.years])
        self.empty.setVisible(not recs)

    def history_rows(self) -> list[tuple[str, ...]]:
        return [self.history_model.row_texts(r) for r in range(self.history_model.rowCount())]

    def year_rows(self) -> list[tuple[str, ...]]:
        return [self.years_model.row_texts(r) for r in range(self.years_model.rowCount())]


class CertificatesTab(QWidget):
    """证书: completion and award certificates in the register, revoked and reissued ones included."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TextTableModel(CERT_HEADERS, "CCLCRCR")
        self.view = _table(self.model, (150, 90, 300, 96, 60, 80))
        self.empty = _muted("尚未颁发证书：培训班结业后，在“证书管理”中颁发的结业证书和比武获奖证书会列在这里。")
        box = QVBoxLayout(self)
        box.addWidget(self.empty)
        box.addWidget(self.view, 1)

    def show_file(self, f: PersonalFile) -> None:
        self.model.set_rows([(c.serial, c.kind_label, c.subject, iso(c.issue_date),
                              fmt(c.hours) if c.hours is not None else "", c.status, str(c.print_count))
                             for c in f.certificates])
        self.empty.setVisible(not f.certificates)
        self.view.setVisible(bool(f.certificates))

    def rows(self) -> list[tuple[str, ...]]:
        return [self.model.row_texts(r) for r in range(self.model.rowCount())]


class ComplianceTab(QWidget):
    """合规情况: each check that applies, as of the detail's day, with the rule set that decided it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TextTableModel(CHECK_HEADERS, "LCCL")
        self.view = _table(self.model, (90, 80, 100))
        self.view.setWordWrap(True)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        self.not_checked = _muted("")
        self.rules = _muted("")
        self.rules.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = QVBoxLayout(self)
        box.addWidget(self.heading)
        box.addWidget(self.not_checked)
        box.addWidget(self.view, 1)
        box.addWidget(self.rules)

    def show_file(self, f: PersonalFile) -> None:
        self.heading.setText(f"截至 {iso(f.as_of)} 的培训合规情况")
        self.model.set_rows([(c.check, c.status, iso(c.due), c.note) for c in f.checks])
        self.not_checked.setText(f"岗位状态为“{f.person.post_status}”，不参加培训合规检查。")
        self.not_checked.setVisible(not f.checks)
        self.view.setVisible(bool(f.checks))
        self.rules.setText(f"适用规则：{f.rules_label}")

    def rows(self) -> list[tuple[str, ...]]:
        return [self.model.row_texts(r) for r in range(self.model.rowCount())]
