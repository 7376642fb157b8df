"""数据安全: the database's backups (list, 立即备份, 从备份恢复), the audit chain check and backup rotation.

Restoring replaces the file under the window's one connection, so the page closes that connection, lets
trainer.backup.restore keep a copy of the current file and put the backup in place, records the restore in
the restored file's audit log, and restarts the program on the restored database (every page re-reads it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import audit, backup, settings
from trainer.db import close_all, open_db
from ui.class_tab import ERROR_STYLE, NOTE_STYLE, OK_STYLE, note_label, table_view
from ui.prompts import Prompts
from ui.row_model import RowModel
from ui.worker import active_tasks, run_task

KINDS = {backup.START: "启动时自动备份", backup.PRE_MIGRATE: "升级数据库前", backup.PRE_IMPORT: "导入前",
         backup.PRE_MERGE: "合并评分文件前", backup.PRE_RESTORE: "恢复前的原数据库", backup.MANUAL: "手动备份",
         backup.DAMAGED: "损坏文件的原样副本"}
ACTOR = "数据安全页面"


def size_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError:
        return "—"
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


class SafetyPage(QWidget):
    restored = Signal(object)  # RestoreResult, just before the restart

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.main_window = parent
        self.prompts = Prompts(self)
        self.db_path = backup.db_file(db.conn)

        title = QLabel("数据安全")
        title.setStyleSheet("font-size:16px; font-weight:bold;")
        where = "内存数据库，无备份"
        if self.db_path:
            where = f"数据库：{self.db_path}；备份文件夹：{backup.backup_dir(self.db_path)}"
        self.where_label = note_label(where + "。每天首次启动、每次导入和合并评分文件前自动备份；"
                                      "手动备份永不自动删除。")
        self.where_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = RowModel(["备份时间", "类型", "大小", "文件名"], "CLRL")
        self.view = table_view()
        self.view.setModel(self.model)
        self.view.setColumnWidth(0, 170)
        self.view.setColumnWidth(1, 170)
        self.backup_button = QPushButton("立即备份")
        self.restore_button = QPushButton("从备份恢复…")
        self.restore_button.setToolTip("恢复所选备份（未选择时可选择其他备份文件）；恢复前先自动备份当前数据库")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.ask_restore)
        self.status_label = note_label()

        self.verify_button = QPushButton("校验审计日志")
        self.verify_button.clicked.connect(self.verify_audit)
        self.audit_log_button = QPushButton("查看审计日志…")
        self.audit_log_button.clicked.connect(self.show_audit_log)
        self.audit_label = note_label("审计日志记录成绩、锁定、获奖、比武设置、证书和培训记录的每一次改动，"
                                      "每条记录带前一条的哈希；校验可发现被改动、删除或调换顺序的记录。")
        self.keep_last = QSpinBox()
        self.keep_last.setRange(1, 999)
        self.keep_last.setSuffix(" 份")
        self.keep_days = QSpinBox()
        self.keep_days.setRange(0, 3650)
        self.keep_days.setSuffix(" 天")
        for spin in (self.keep_last, self.keep_days):
            spin.setMaximumWidth(120)
        self.save_policy_button = QPushButton("保存轮换设置")
        self.save_policy_button.clicked.connect(self.save_policy)
        self._layout(title)
        for b in (self.backup_button, self.restore_button, self.save_policy_button):
            b.setEnabled(self.db_path is not None)
        self.refresh()

    def _layout(self, title: QLabel) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        backups = QGroupBox("备份")
        bbox = QVBoxLayout(backups)
        bbox.addLayout(buttons)
        bbox.addWidget(self.view, 1)
        bbox.addWidget(self.status_label)
        audit_box = QGroupBox("审计日志")
        abox = QVBoxLayout(audit_box)
        row = QHBoxLayout()
        row.addWidget(self.verify_button)
        row.addWidget(self.audit_log_button)
        row.addStretch(1)
        abox.addLayout(row)
        abox.addWidget(self.audit_label)
        policy = QGroupBox("自动备份轮换")
        form = QFormLayout(policy)
        form.addRow("保留最近：", self.keep_last)
        form.addRow("另保留每天一份，最近：", self.keep_days)
        form.addRow("", self.save_policy_button)
        side = QVBoxLayout()
        side.addWidget(audit_box)
        side.addWidget(policy)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(backups, 3)
        body.addLayout(side, 2)
        box = QVBoxLayout(self)
        box.addWidget(title)
        box.addWidget(self.where_label)
        box.addLayout(body, 1)

    # ---- list --------------------------------------------------------------------------------------

    def refresh(self) -> None:
        found = backup.backups(self.db_path) if self.db_path else []
        self.model.set_rows(found, [[b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), KINDS.get(b.reason, b.reason),
                                     size_text(b.path), b.path.name] for b in found])
        policy = backup.Policy.load(self.db.conn)
        self.keep_last.setValue(policy.keep_last)
        self.keep_days.setValue(policy.keep_days)

    def say(self, label: QLabel, text: str, style: str = NOTE_STYLE) -> None:
        label.setText(text)
        label.setStyleSheet(style)

    def backup_now(self) -> None:
        if self.db_path is None:
            return
        conn, path = self.db.conn, self.db_path
        run_task(self, "备份数据库", lambda _ctx: backup.manual_backup(conn, path), self._backed_up,
                 lambda exc: self.say(self.status_label, f"备份失败：{exc}", ERROR_STYLE), cancellable=False)

    def _backed_up(self, made: Path) -> None:
        self.refresh()
        self.say(self.status_label, f"已备份：{made}", OK_STYLE)

    def save_policy(self) -> None:
        if self.db_path is None:
            return
        settings.put_many(self.db, {"backup.keep_last": str(self.keep_last.value()),
                                    "backup.keep_days": str(self.keep_days.value())})
        removed = backup.prune(self.db_path, backup.Policy.load(self.db.conn))
        self.refresh()
        self.say(self.status_label, "轮换设置已保存" + (f"，删除了 {len(removed)} 份过期的自动备份" if removed else ""),
                 OK_STYLE)

    # ---- audit -------------------------------------------------------------------------------------

    def show_audit_log(self) -> None:
        from ui.audit_log_dialog import AuditLogDialog

        dialog = AuditLogDialog(self.db, self)
        dialog.open()  # not modal to the log's own export question; closes with the page's window
        self.audit_log = dialog

    def verify_audit(self) -> int | None:
        """Check the chain; the id of the first broken entry (shown in red), or None (shown in green)."""
        total = int(self.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0])
        broken = audit.verify(self.db)
        if broken is None:
            self.say(self.audit_label, f"✓ 审计日志完整：共 {total} 条记录，哈希链校验通过。",
                     OK_STYLE + "font-weight:bold;")
            return None
        row = self.db.execute("SELECT at, actor, action FROM audit_log WHERE id = ?", [broken]).fetchone()
        what = f"（{row[0]}，{row[1]}，{audit.LABELS.get(row[2], row[2])}）" if row else ""
        self.say(self.audit_label, f"✗ 审计日志从第 {broken} 条记录{what}起校验失败：该记录或它之前的一条被改动、"
                 "删除或调换了顺序。请保留当前文件，并与备份核对。", ERROR_STYLE + "font-weight:bold;")
        return broken

    # ---- restore -----------------------------------------------------------------------------------

    def selected_backup(self) -> Path | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.object_at(rows[0].row()).path if rows else None

    def ask_restore(self) -> None:
        source = self.selected_backup()
        if source is None:
            chosen = self.prompts.open_path("选择要恢复的备份文件", "数据库备份 (*.db);;所有文件 (*)")
            if not chosen:
                return
            source = Path(chosen)
        if self.prompts.confirm("从备份恢复", f"用备份\n{source}\n替换当前数据库？\n\n恢复前会先自动备份当前数据库"
                                "（可再恢复回来）。恢复后程序将重新启动。", yes="恢复并重新启动"):
            self.restore_from(source)

    def restore_from(self, source: Path) -> backup.RestoreResult | None:
        """Close the window's connection, restore, record it, restart; None (nothing changed) when refused."""
        if self.db_path is None:
            return None
        if active_tasks():
            self.prompts.refuse("从备份恢复", "还有后台任务在运行，请等它完成后再恢复。")
            return None
        try:
            backup.validate(source)  # while the window still works: a bad file changes nothing
        except backup.BackupError as exc:
            self.prompts.refuse("从备份恢复", str(exc))
            return None
        # From here on the window's pages cannot read: the program restarts either way. Every connection goes,
        # the pages' own readers too, or the file could not be replaced under them.
        self.db.close()
        close_all(self.db_path)
        try:
            result = backup.restore(self.db_path, source)
            restored = open_db(self.db_path)
            try:
                with restored.atomic():
                    detail = f"恢复前的数据库已备份到 {result.previous}" if result.previous else ""
                    audit.append(restored, audit.Entry(audit.DATABASE_RESTORE, ACTOR, new=str(source), detail=detail))
            finally:
                restored.close()
        except backup.BackupError as exc:
            self.prompts.refuse("恢复失败", f"{exc}\n\n程序将重新启动并打开原数据库。")
            self.restart()
            return None
        self.restored.emit(result)
        previous = f"\n恢复前的数据库已备份到：{result.previous}" if result.previous else ""
        self.prompts.inform("已恢复", f"已从 {source.name} 恢复数据库。{previous}\n\n程序将重新启动。")
        self.restart()
        return result

    def restart(self) -> None:
        """Start the program again on the same arguments, then quit this one (its connection is closed)."""
        frozen = getattr(sys, "frozen", False)
        args = sys.argv[1:] if frozen else ["-m", "ui.app", *sys.argv[1:]]
        if self.db_path is not None and "--db" not in args:
            args += ["--db", str(self.db_path)]
        QProcess.startDetached(sys.executable, args)
        QApplication.quit()
