"""The 证书管理 page: the certificate register (search and filters), a preview of the selected certificate,
and HR's actions: 为培训班发证, 打印, 撤销, 补发, 导出登记簿, 导出公钥 and 证书设置.

Every change goes through trainer.cert_issue / trainer.cert_register; printing runs in the background
(exports.certificate_batch) behind the app's progress dialog with 取消.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from exports.certificate_pdf import BatchResult
from trainer import cert_admin, cert_facets, cert_register, cert_serials, cert_settings, cert_signing
from trainer.cert_register import STATUSES, CertFilter, Certificate, CertificateError
from trainer.cert_serials import KINDS, SerialError
from trainer.oserrors import describe
from ui.cert_print_dialog import CertPrintDialog, PrintJob
from ui.cert_reason_dialog import ReasonDialog
from ui.class_tab import fit_columns, stretch_column, table_view
from ui.page_base import Page, column, rich_label, splitter
from ui.pdf_view import PdfPageView
from ui.print_problems import failure_text, preview_problem_text
from ui.row_model import SORT_ROLE, RowModel
from ui.worker import TaskContext, TaskHandle, run_task

COLUMNS = ("证书编号", "姓名", "身份证号", "类型", "内容", "发证日期", "状态", "打印次数")
COL_SERIAL, COL_NAME, COL_ID, COL_KIND, COL_SUBJECT, COL_DATE, COL_STATUS, COL_PRINTS = range(len(COLUMNS))
ALL = "全部"
SEARCH_DELAY_MS = 250  # one query per pause in typing, not per key
PREVIEW_DELAY_MS = 150  # arrowing down the list renders only where the user stops
XLSX_FILTER = "Excel 文件 (*.xlsx)"
PEM_FILTER = "公钥文件 (*.pem)"
STATUS_COLOURS = {"有效": "#1e7b45", "已撤销": "#b9770e", "已补发": "#7f8c8d"}
REISSUE_TIP = "补发：生成新编号的证书，原证书作废"
REISSUE_AGAIN_TIP = "重新发证：撤销有误或已撤回时，为持证人生成新编号的证书（须填写原因）；原证书仍为已撤销"


def cells(c: Certificate) -> tuple[str, ...]:
    return (c.serial, c.holder_name, c.id_masked, c.kind_label, c.subject, c.issue_date.isoformat(), c.status,
            str(c.print_count))


def sort_keys(c: Certificate) -> tuple[object, ...]:
    return (c.serial, c.holder_name, c.id_masked, c.kind, c.subject, c.issue_date.isoformat(), c.status,
            c.print_count)


class CertificatesPage(Page):
    """Built by the main window as CertificatesPage(db, main_window); `data_changed` after every change."""

    def __init__(self, db: Database, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(db, parent, today)
        self.task: TaskHandle[BatchResult] | None = None  # the last batch print (tests wait on it)
        self.last_result: BatchResult | None = None
        self.print_folder = ""
        self.total = 0  # certificates in the register, whatever the filter
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.show_preview)
        self._build()
        self._fill_filters()
        self.reload()

    # ---- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索姓名、身份证号、证书编号或培训班")
        self.search_edit.setClearButtonEnabled(True)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(ALL, None)
        for code, label in KINDS.items():
            self.kind_combo.addItem(label, code)
        self.status_combo = QComboBox()
        self.status_combo.addItem(ALL, None)
        for s in STATUSES:
            self.status_combo.addItem(s, s)
        self.year_combo = QComboBox()
        self.class_combo = QComboBox()
        self.class_combo.setMinimumContentsLength(20)
        self.class_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        for label, combo in (("类型：", self.kind_combo), ("状态：", self.status_combo), ("年度：", self.year_combo),
                             ("培训班：", self.class_combo)):
            filters.addSpacing(6)
            filters.addWidget(QLabel(label))
            filters.addWidget(combo)

        self.issue_button = QPushButton("为培训班发证…")
        self.issue_button.setToolTip("为已结班的培训班中结业的学员发放结业证书")
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("打印所选证书或整个培训班的证书：合并打印文件和每人一份 PDF")
        self.preview_button = QPushButton("预览")
        self.preview_button.setCheckable(True)
        self.preview_button.setChecked(True)
        self.preview_button.setToolTip("在右侧显示所选证书的打印效果")
        self.revoke_button = QPushButton("撤销…")
        self.reissue_button = QPushButton("补发…")
        self.reissue_button.setToolTip(REISSUE_TIP)
        self.export_button = QPushButton("导出登记簿…")
        self.export_button.setToolTip("把当前筛选出的证书登记导出为 Excel")
        self.key_button = QPushButton("导出公钥…")
        self.key_button.setToolTip("导出验签公钥（PEM），供没有本软件的单位核验证书二维码")
        self.settings_button = QPushButton("证书设置…")
        actions = QHBoxLayout()
        for b in (self.issue_button, self.print_button, self.preview_button, self.revoke_button, self.reissue_button):
            actions.addWidget(b)
        actions.addStretch(1)
        for b in (self.export_button, self.key_button, self.settings_button):
            actions.addWidget(b)

        self.model = RowModel(COLUMNS, "LLLCLCCR")
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = table_view(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # register order
        fit_columns(self.table, {COL_SERIAL: self._serial_sample(), COL_NAME: "欧阳淑珍", COL_ID: "410402********1234",
                                 COL_KIND: "结业证书", COL_SUBJECT: "2026年业务知识轮训第1期",
                                 COL_DATE: "2026-03-06", COL_STATUS: "已撤销", COL_PRINTS: "打印次数"})
        stretch_column(self.table, COL_SUBJECT)
        self.count_label = QLabel()
        left = column(self.table, self.count_label, stretch=self.table)

        self.info_label = rich_label()
        self.info_label.setOpenExternalLinks(False)
        self.info_label.linkActivated.connect(self.select_serial)
        self.pdf_view = PdfPageView(placeholder="在左侧选择一份证书，这里显示打印效果。")
        self.preview_box = column(self.info_label, self.pdf_view, stretch=self.pdf_view)
        self.splitter = splitter(Qt.Orientation.Horizontal, left, self.preview_box, (5, 4))
        box = QVBoxLayout(self)
        box.addLayout(filters)
        box.addLayout(actions)
        box.addWidget(self.splitter, 1)
        box.addWidget(self.message_label)

        self.search_edit.textChanged.connect(lambda *_: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.reload)
        for combo in (self.kind_combo, self.status_combo, self.year_combo, self.class_combo):
            combo.currentIndexChanged.connect(lambda *_: self.reload())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.activated.connect(lambda *_: self.show_preview())
        self.issue_button.clicked.connect(lambda: self.issue_for_class())
        self.print_button.clicked.connect(lambda: self.print_certificates())
        self.preview_button.toggled.connect(self._preview_toggled)
        self.revoke_button.clicked.connect(self.revoke)
        self.reissue_button.clicked.connect(self.reissue)
        self.export_button.clicked.connect(self.export_register)
        self.key_button.clicked.connect(self.export_public_key)
        self.settings_button.clicked.connect(self.open_settings)

    def _fill_filters(self) -> None:
        """The year and class lists from the register; the user's choice is kept when it is still there."""
        for combo, items, everything in (
                (self.year_combo, [(f"{y}年", y) for y in cert_facets.years(self.db)], "全部年度"),
                (self.class_combo, [(c.title, c.id) for c in cert_facets.classes(self.db)], "全部培训班")):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for text, value in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(keep)) if keep is not None else 0)
            combo.blockSignals(False)

    # ---- the register ----------------------------------------------------------------------------

    def current_filter(self) -> CertFilter:
        return CertFilter(text=self.search_edit.text(), kind=self.kind_combo.currentData(),
                          status=self.status_combo.currentData(), year=self.year_combo.currentData(),
                          class_id=self.class_combo.currentData())

    def reload(self, keep: Sequence[str] | None = None) -> None:
        """Re-read the register with the current filter, keeping the selected certificates selected."""
        self._search_timer.stop()
        keep = list(keep) if keep is not None else [c.serial for c in self.selected_certificates()]
        certs = cert_register.search(self.db, self.current_filter())
        self.model.set_rows(certs, [cells(c) for c in certs], [sort_keys(c) for c in certs],
                            muted=[not c.valid for c in certs])
        total = self.total = int(self.db.execute("SELECT COUNT(*) FROM certificates").fetchone()[0])
        valid = sum(1 for c in certs if c.valid)
        shown = f"共 {total} 份证书" if len(certs) == total else f"显示 {len(certs)} / 共 {total} 份证书"
        self.count_label.setText(f"{shown}（其中显示的有效证书 {valid} 份）")
        self._fit_serial_column()
        self.select_serials(keep)
        self._selection_changed()

    def _serial_sample(self) -> str:
        """The widest serial the column must show: the longest in the register, or one with the prefix in
        settings (a longer prefix such as PDSCG must not cut the number off)."""
        rows = self.db.execute("SELECT serial FROM certificates ORDER BY LENGTH(serial) DESC LIMIT 20")
        candidates = [str(r[0]) for r in rows]
        candidates.append(cert_serials.format_serial(cert_settings.load(self.db).prefix, 2026, "JY", 122))
        return max(candidates, key=self.table.fontMetrics().horizontalAdvance)

    def _fit_serial_column(self) -> None:
        fit_columns(self.table, {COL_SERIAL: self._serial_sample()})

    def refresh(self) -> None:
        """Another page changed data (a class closed, a name corrected): re-read the lists."""
        self._fill_filters()
        self.reload()

    def show_all(self) -> None:
        """Clear the search and the filters (the newly issued or reissued certificate must be in view)."""
        for w in (self.kind_combo, self.status_combo, self.year_combo, self.class_combo):
            w.blockSignals(True)
            w.setCurrentIndex(0)
            w.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)

    def select_serials(self, serials: Sequence[str]) -> bool:
        selection = self.table.selectionModel()
        selection.clearSelection()
        wanted = set(serials)
        source = [r for r, c in enumerate(self.model.objects()) if c.serial in wanted]  # one pass, any size
        rows = sorted(self.proxy.mapFromSource(self.model.index(r, 0)).row() for r in source)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows:
            selection.select(self.proxy.index(row, 0), flags)
        if rows:
            selection.setCurrentIndex(self.proxy.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(self.proxy.index(rows[0], 0))
        return bool(rows)

    def select_serial(self, serial: str) -> None:
        """Select one certificate (a reissue link in the details), clearing filters that hide it."""
        if not self.select_serials([serial]):
            self.show_all()
            self.reload([serial])

    def selected_certificates(self) -> list[Certificate]:
        rows = sorted(self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows())
        return [self.model.object_at(r) for r in rows]

    @property
    def current(self) -> Certificate | None:
        """The one certificate the single-certificate actions apply to (None unless exactly one is selected)."""
        selected = self.selected_certificates()
        return selected[0] if len(selected) == 1 else None

    def _selection_changed(self) -> None:
        c = self.current
        self.revoke_button.setEnabled(c is not None and c.valid)
        again = c is not None and c.status == cert_register.REVOKED and not c.reissued_by
        self.reissue_button.setText("重新发证…" if again else "补发…")
        self.reissue_button.setToolTip(REISSUE_AGAIN_TIP if again else REISSUE_TIP)
        self.reissue_button.setEnabled(c is not None and (c.valid or again))
        self.print_button.setEnabled(self.total > 0)
        self._show_info(c, len(self.selected_certificates()))
        if self.preview_button.isChecked():
            self._preview_timer.start()

    def _show_info(self, c: Certificate | None, selected: int) -> None:
        if c is None:
            self.info_label.setText(f"已选择 {selected} 份证书。" if selected else "")
            return
        colour = STATUS_COLOURS.get(c.status, "#333")
        lines = [f"<b style='font-size:12pt'>{c.serial}</b>　<b style='color:{colour}'>{c.status}</b>"
                 f"　{html.escape(c.kind_label)}",
                 f"持证人：{html.escape(c.holder_name)}（{c.id_masked}）",
                 f"内容：{html.escape(c.subject)}"]
        if c.start_date and c.end_date:
            hours = f"，{c.hours.normalize():f} 学时" if c.hours is not None else ""
            lines.append(f"培训：{c.start_date.isoformat()} 至 {c.end_date.isoformat()}{hours}")
        lines.append(f"发证：{c.issue_date.isoformat()}　{html.escape(c.issuer)}　已打印 {c.print_count} 次")
        if c.status == cert_register.REVOKED:
            lines.append(f"撤销：{(c.revoked_at or '')[:10]}　原因：{html.escape(c.revoke_reason)}")
        if c.reissued_by and c.status == cert_register.REVOKED:
            lines.append(f"已重新发证为 <a href='{c.reissued_by}'>{c.reissued_by}</a>")
        elif c.reissued_by:
            lines.append(f"已补发为 <a href='{c.reissued_by}'>{c.reissued_by}</a>（{html.escape(c.revoke_reason)}）")
        if c.reissued_from:
            lines.append(f"补发自 <a href='{c.reissued_from}'>{c.reissued_from}</a>")
        self.info_label.setText("<br>".join(lines))

    # ---- preview ---------------------------------------------------------------------------------

    def _preview_toggled(self, on: bool) -> None:
        self.preview_box.setVisible(on)
        if on:
            self.show_preview()

    def show_preview(self) -> None:
        """Render the selected certificate as it will print (layout, seal and font from settings)."""
        from exports.certificate_batch import preview

        self._preview_timer.stop()
        if self.task is not None and self.task.running:
            return  # the batch is using the connection; the preview follows when the user selects again
        if not self.preview_button.isChecked():
            self.preview_button.setChecked(True)  # shows the panel and comes back here
            return
        c = self.current
        if c is None:
            self.pdf_view.show_message("在左侧选择一份证书，这里显示打印效果。")
            return
        try:
            data = preview(self.db, c.serial)
        except Exception as exc:  # a font or seal problem: say it where the page would be
            self.pdf_view.show_message(preview_problem_text(exc))
            return
        self.pdf_view.set_pdf(data)

    # ---- issuing ---------------------------------------------------------------------------------

    def issue_for_class(self, class_id: int | None = None) -> None:
        from ui.cert_issue_dialog import CertIssueDialog

        dialog = CertIssueDialog(self.db, self, class_id=class_id or self.class_combo.currentData(), today=self.today)
        dialog.issued.connect(self._issued)
        self.open_dialog(dialog)

    def _issued(self, certs: list[Certificate]) -> None:
        if not certs:
            return
        self._fill_filters()
        self.show_all()
        class_id = certs[0].class_id
        index = self.class_combo.findData(class_id)
        self.class_combo.blockSignals(True)
        self.class_combo.setCurrentIndex(max(0, index))
        self.class_combo.blockSignals(False)
        self.reload([certs[0].serial])  # one selected: the preview shows what the batch will look like
        span = certs[0].serial if len(certs) == 1 else f"{certs[0].serial} 至 {certs[-1].serial}"
        text = f"已为“{certs[0].subject}”发放 {len(certs)} 份结业证书，编号 {span}。"
        self.show_message(text)
        self.data_changed.emit()
        if self.prompts.confirm("发证", text + "\n\n现在打印这些证书吗？", yes="打印…", no="稍后"):
            self.print_certificates(class_id=class_id)

    # ---- printing --------------------------------------------------------------------------------

    def print_certificates(self, class_id: int | None = None, serials: Sequence[str] | None = None) -> None:
        """Ask what and where (CertPrintDialog), then print in the background."""
        selected = self.selected_certificates()
        if serials is not None:
            selected = [c for c in (cert_register.get(self.db, s) for s in serials) if c is not None]
        hint = class_id if class_id is not None and serials is None else None
        if hint is None and not selected:
            hint = self.class_combo.currentData()
        dialog = CertPrintDialog(self.db, self.prompts, selected, hint, self.print_folder or self.prompts.last_folder,
                                 self)
        dialog.chosen.connect(self.run_print)
        self.open_dialog(dialog)

    def run_print(self, job: PrintJob) -> None:
        from exports.certificate_batch import print_class, print_serials

        self._preview_timer.stop()
        self._search_timer.stop()
        self.print_folder = str(job.folder)
        db = self.db

        def work(ctx: TaskContext) -> BatchResult:
            ctx.status(f"正在生成 {job.count} 份证书…")
            if job.class_id is not None:
                return print_class(db, job.class_id, job.folder, zip_files=job.zip_files, progress=ctx.progress,
                                   cancelled=ctx.cancelled)
            return print_serials(db, list(job.serials), job.folder, zip_files=job.zip_files, progress=ctx.progress,
                                 cancelled=ctx.cancelled)

        def failed(exc: BaseException) -> None:
            text = failure_text(exc, job.folder)
            self.show_message(text.split("\n")[0])
            self.prompts.refuse("打印证书", text)

        self.task = run_task(self, "打印证书", work, self._printed, failed, cancellable=True)

    def _printed(self, result: BatchResult) -> None:
        self.last_result = result
        self.reload()
        self.data_changed.emit()
        size = result.merged_bytes / 1024 / 1024
        if result.archive is not None:
            personal = f"个人证书已打包：{result.archive.name}"
        else:
            personal = f"每人一份的 PDF：{len(result.personal)} 个（证书编号_姓名.pdf）"
        self.show_message(f"已打印 {result.count} 份证书：{result.merged}")
        text = (f"已打印 {result.count} 份证书。\n\n送打印机的合并文件（{size:.1f} MB）：\n{result.merged}\n\n"
                f"{personal}，在同一文件夹中。")
        if self.prompts.confirm("打印证书", text, yes="打开所在文件夹", no="关闭"):
            self.prompts.open_folder(result.merged.parent)

    # ---- revoke and reissue ----------------------------------------------------------------------

    def revoke(self) -> None:
        c = self.current
        if c is None or not c.valid:
            return
        dialog = ReasonDialog(
            "撤销证书", f"撤销 {c.holder_name} 的{c.kind_label} {c.serial}（{c.subject}）？\n\n"
            "撤销后该证书核验时显示“已撤销”及原因，不能再打印，也不能恢复。",
            required=True, ok_text="撤销证书", placeholder="如：学员信息有误、违纪取消结业资格",
            ask_pin=cert_admin.pin_is_set(self.db), parent=self)
        dialog.submitted.connect(lambda reason: self._revoke(c.serial, reason, dialog.pin()))
        self.open_dialog(dialog)

    def _revoke(self, serial: str, reason: str, pin: str | None = None) -> None:
        try:
            cert_register.revoke(self.db, serial, reason, pin=pin)
        except CertificateError as exc:
            self.prompts.refuse("撤销证书", str(exc))
            return
        self.reload([serial])
        self.show_message(f"已撤销证书 {serial}：{reason}")
        self.data_changed.emit()

    def reissue(self) -> None:
        """补发 a valid certificate, or 重新发证 for a revoked one; the dialog shows what the new one will
        read when the name or ID number was corrected in the roster since (trainer.cert_register.reissue_plan)."""
        c = self.current
        if c is None:
            return
        try:
            plan = cert_register.reissue_plan(self.db, c.serial)
        except CertificateError as exc:
            self.prompts.refuse("补发证书", str(exc))
            return
        changes = ""
        if plan.changes:
            changes = "\n\n人员名册中的信息已更正，新证书将按更正后的打印：\n" + "\n".join(
                f"　{label}：{old} → {new}" for label, old, new in plan.changes)
        if plan.after_revocation:
            dialog = ReasonDialog(
                "重新发证", f"{c.holder_name} 的{c.kind_label} {c.serial}（{c.subject}）已于"
                f"{(c.revoked_at or '')[:10]}撤销，原因：{c.revoke_reason}。\n\n"
                "重新发证将生成新编号的有效证书；原证书仍为“已撤销”，撤销记录保留。"
                f"仅在撤销有误或已撤回时办理。{changes}",
                required=True, ok_text="重新发证", placeholder="如：处分决定已撤销、撤销有误",
                ask_pin=cert_admin.pin_is_set(self.db), parent=self)
        else:
            dialog = ReasonDialog(
                "补发证书", f"为 {c.holder_name} 补发{c.kind_label}（{c.subject}）？\n\n"
                f"补发将生成新编号的证书{'' if plan.changes else '，内容不变'}；原证书 {c.serial} 作废，"
                f"核验时显示已补发及新编号。{changes}",
                required=False, ok_text="补发", placeholder="如：原证遗失、损毁、姓名更正",
                default="姓名更正" if plan.changes else "原证遗失", ask_pin=cert_admin.pin_is_set(self.db),
                parent=self)
        dialog.submitted.connect(lambda reason: self._reissue(c.serial, reason, dialog.pin(), dialog.windowTitle()))
        self.open_dialog(dialog)

    def _reissue(self, serial: str, reason: str, pin: str | None = None, title: str = "补发证书") -> None:
        try:
            new = cert_register.reissue(self.db, serial, reason, issue_date=self.today, pin=pin)
        except (CertificateError, SerialError) as exc:
            self.prompts.refuse(title, str(exc))
            return
        self._fill_filters()
        self.reload([new.serial])
        if self.current is None or self.current.serial != new.serial:
            self.select_serial(new.serial)
        if cert_register.require(self.db, serial).status == cert_register.REVOKED:
            text = f"已重新发证：新证书编号 {new.serial}（原证书 {serial} 仍为已撤销）。"
        else:
            text = f"已补发：新证书编号 {new.serial}（原证书 {serial} 已作废）。"
        self.show_message(text)
        self.data_changed.emit()
        if self.prompts.confirm(title, text + "\n\n现在打印新证书吗？", yes="打印…", no="稍后"):
            self.print_certificates(serials=[new.serial])

    # ---- exports and settings --------------------------------------------------------------------

    def export_register(self) -> None:
        from exports.certificate_excel import export_register

        path = self.prompts.save_path("导出证书登记簿", f"证书登记簿_{self.today.isoformat()}.xlsx", XLSX_FILTER,
                                      ".xlsx")
        if not path:
            return
        try:
            export_register(self.db, path, self.current_filter())
        except OSError as exc:
            self.prompts.refuse("导出证书登记簿", f"无法写入 {path}（文件是否正在被 Excel 打开？）\n{describe(exc)}")
            return
        self.show_message(f"已导出证书登记簿：{path}")
        self.prompts.saved("导出证书登记簿", path)

    def export_public_key(self) -> None:
        path = self.prompts.save_path("导出公钥", "证书验签公钥.pem", PEM_FILTER, ".pem")
        if not path:
            return
        text = cert_signing.public_key_file(self.db, Path(path).name, cert_settings.issuer(self.db), self.today)
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            self.prompts.refuse("导出公钥", f"无法写入 {path}：{describe(exc)}")
            return
        self.show_message(f"已导出验签公钥：{path}")
        self.prompts.saved("导出公钥", path)

    def open_settings(self) -> None:
        from ui.cert_settings_dialog import CertSettingsDialog

        dialog = CertSettingsDialog(self.db, self, prompts=self.prompts, today=self.today)
        dialog.saved.connect(self._settings_saved)
        self.open_dialog(dialog)

    def _settings_saved(self) -> None:
        self.show_message("证书设置已保存，新的设置用于此后的预览、发证和打印。")
        self.show_preview()
