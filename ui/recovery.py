"""Start-up safety: the start-of-day backup after the window shows, and a damaged database's restore offer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from trainer import backup
from trainer.db import DamagedDatabase

Ask = Callable[[str, str], bool]  # (title, text) → the user chose to restore


def damaged_text(exc: DamagedDatabase) -> str:
    text = f"{exc}\n\n"
    if exc.latest_backup is None:
        return text + "没有找到可用的备份。请联系管理员，或从其他电脑拷贝备份文件后用“从备份恢复”。"
    found = next((b for b in backup.backups(exc.path) if b.path == exc.latest_backup), None)
    when = found.taken_at.strftime("%Y-%m-%d %H:%M") if found else ""
    return (text + f"最近一份完好的备份：{exc.latest_backup.name}（{when}）。\n"
            "恢复该备份后打开？当前损坏的文件会先原样另存到备份文件夹，不会删除。")


def _ask(parent: QWidget | None) -> Ask:
    def ask(title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.NoButton, parent)
        yes = box.addButton("恢复备份并打开", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes

    return ask


def offer_restore(exc: DamagedDatabase, parent: QWidget | None = None, ask: Ask | None = None,
                  tell: Callable[[str, str], None] | None = None) -> bool:
    """True when the latest good backup replaced the damaged file (open it again); False: quit."""
    def show(title: str, text: str) -> None:
        if tell is not None:
            tell(title, text)
        else:
            QMessageBox.critical(parent, title, text)

    if exc.latest_backup is None:
        show("数据库已损坏", damaged_text(exc))
        return False
    if not (ask or _ask(parent))("数据库已损坏", damaged_text(exc)):
        return False
    try:
        backup.restore(exc.path, exc.latest_backup)
    except backup.BackupError as err:
        show("恢复失败", str(err))
        return False
    return True


def start_backup(db_path: Path, done: Callable[[Path | None], None] | None = None) -> None:
    """The start-of-day backup (at most one a day) on a reader thread: its own connection, no waiting."""
    from ui.worker import run_reader

    run_reader(None, "自动备份", lambda _ctx: backup.on_start(db_path), done or (lambda _made: None),
               on_error=lambda _exc: None)  # a failed start backup must not stop work; the next start retries
