"""Prompts that answer instead of the user, for every page test: questions, texts, files and folders are
answered from what the test set up, and everything the page asked or said is recorded."""

from __future__ import annotations

from pathlib import Path

from ui.prompts import Prompts


class ScriptedPrompts(Prompts):
    """Every yes/no question gets `answer`; `answers` feed ask_text in turn (then None, as 取消); a file to
    save goes to `folder`, a file to open is `folder / open_name`, a folder to pick is `folder / pick_folder`."""

    def __init__(self, parent, folder: Path, answer: bool = True, *, open_name: str = "",
                 pick_folder: str = "") -> None:
        super().__init__(parent)
        self.folder, self.answer = folder, answer
        self.open_name, self.pick_folder = open_name, pick_folder
        self.answers: list[str | None] = []
        self.asked: list[str] = []
        self.told: list[str] = []
        self.saved_files: list[str] = []

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        self.asked.append(label)
        return self.answers.pop(0) if self.answers else None

    def confirm(self, title: str, text: str, yes: str = "确定", no: str = "取消") -> bool:
        self.asked.append(text)
        return self.answer

    def inform(self, title: str, text: str) -> None:
        self.told.append(text)

    def refuse(self, title: str, text: str) -> None:
        self.told.append(text)

    def save_path(self, title: str, file_name: str, file_filter: str, suffix: str) -> str:
        return str(self.folder / file_name)

    def open_path(self, title: str, file_filter: str) -> str:
        return str(self.folder / self.open_name) if self.open_name else ""

    def folder_path(self, title: str, start: str | Path | None = None) -> str:
        return str(self.folder / self.pick_folder) if self.pick_folder else ""

    def saved(self, title: str, path: str | Path) -> None:
        self.saved_files.append(str(path))
