"""Questions and notices a page puts to the user, in one object a test can replace.

Message boxes and file dialogs block until answered; a page that asks through `Prompts` lets a test
swap in answers (`page.prompts = ScriptedPrompts(...)`-style, or monkeypatching one method).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


def ask_save_path(parent: QWidget | None, title: str, start: str | Path, file_filter: str, suffix: str) -> str:
    """The save dialog opened on `start` (folder and proposed name); `suffix` is added when the user typed a
    name without it, so the file opens by double-click. '' when the user cancels."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(start), file_filter)
    if path and not path.lower().endswith(suffix):
        path += suffix
    return path


class Prompts:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.last_folder = Path.home()  # where the last file was saved or opened, offered next time

    def confirm(self, title: str, text: str, yes: str = "确定", no: str = "取消") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, self.parent)
        ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is ok

    def inform(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def refuse(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        """One line of text (a reason, a value); None when the user cancelled."""
        answer, ok = QInputDialog.getText(self.parent, title, label, QLineEdit.EchoMode.Normal, text)
        return answer if ok else None

    def save_path(self, title: str, file_name: str, file_filter: str, suffix: str) -> str:
        path = ask_save_path(self.parent, title, self.last_folder / file_name, file_filter, suffix)
        if path:
            self.last_folder = Path(path).parent
        return path

    def open_path(self, title: str, file_filter: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self.parent, title, str(self.last_folder), file_filter)
        if path:
            self.last_folder = Path(path).parent
        return path

    def open_paths(self, title: str, file_filter: str) -> list[str]:
        """Several files at once (judges' score files); [] when the user cancels."""
        paths, _ = QFileDialog.getOpenFileNames(self.parent, title, str(self.last_folder), file_filter)
        if paths:
            self.last_folder = Path(paths[0]).parent
        return list(paths)

    def folder_path(self, title: str, start: str | Path | None = None) -> str:
        """A folder to write several files into (batch printing); '' when the user cancels."""
        path = QFileDialog.getExistingDirectory(self.parent, title, str(start or self.last_folder))
        if path:
            self.last_folder = Path(path)
        return path

    def saved(self, title: str, path: str | Path) -> None:
        """Say where a file went and offer to open its folder."""
        if self.confirm(title, f"已保存到：\n{path}", yes="打开所在文件夹", no="关闭"):
            self.open_folder(Path(path).parent)

    def open_folder(self, folder: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
