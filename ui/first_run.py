"""The first start without a database: start empty, import the bureau's roster, or explore the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCommandLinkButton, QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

EMPTY, IMPORT, DEMO = "empty", "import", "demo"


class FirstRunDialog(QDialog):
    """`choice` is EMPTY, IMPORT or DEMO after accept(); the dialog is rejected when closed."""

    def __init__(self, db_path: Path, demo_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice: str | None = None
        self.setWindowTitle("欢迎使用 Trainer 城管执法培训管理")
        self.setMinimumWidth(560)
        intro = QLabel("这是第一次在本机启动 Trainer，还没有数据库。请选择如何开始：")
        intro.setWordWrap(True)
        self.buttons: dict[str, QCommandLinkButton] = {}
        choices = (
            (EMPTY, "新建空数据库", f"从零开始录入人员。数据库保存在：{db_path}"),
            (IMPORT, "导入花名册", "新建数据库，并立即导入单位现有的花名册（.xlsx、.xls 或 .csv）。"),
            (DEMO, "浏览演示数据",
             f"打开一份虚构的演示单位（300 人）先熟悉软件。演示数据单独保存在 {demo_path}，不会混入正式数据。"),
        )
        box = QVBoxLayout(self)
        box.addWidget(intro)
        for key, title, description in choices:
            button = QCommandLinkButton(title, description)
            button.clicked.connect(lambda _=False, k=key: self.choose(k))
            box.addWidget(button)
            self.buttons[key] = button
        quit_button = QPushButton("退出")
        quit_button.clicked.connect(self.reject)
        box.addWidget(quit_button)

    def choose(self, key: str) -> None:
        self.choice = key
        self.accept()


def ask_first_run(db_path: Path, demo_path: Path) -> str | None:
    dialog = FirstRunDialog(db_path, demo_path)
    return dialog.choice if dialog.exec() == QDialog.DialogCode.Accepted else None
