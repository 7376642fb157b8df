"""Child process for the cold-start benchmark: start, show a window, print when it first paints, exit.

    python -m bench.startup_probe ours DB      Trainer's main window on DB (as `trainer-gui --db DB`)
    python -m bench.startup_probe bare         a bare PySide6 QMainWindow
"""

from __future__ import annotations

import sys


def main() -> int:
    mode = sys.argv[1]
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print("painted", flush=True)
                QApplication.exit(0)
            return False

    window: QWidget
    if mode == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.resize(1280, 800)
    else:
        from pathlib import Path

        from trainer.db import open_db
        from ui.app import _application
        from ui.main_window import MainWindow

        app = _application([])  # type: ignore[assignment]
        path = Path(sys.argv[2])
        window = MainWindow(open_db(path), path, is_demo=True)
    window.installEventFilter(FirstPaint(window))
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
