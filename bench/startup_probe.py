"""Child process for the cold-start benchmark: start, show a window, print when it first paints, exit.

    python -m bench.startup_probe ours DB      Trainer's main window on DB (as `trainer-gui --db DB`)
    python -m bench.startup_probe bare         a bare PySide6 QMainWindow
"""

from __future__ import annotations

import sys


def main() -> int:
    mode = sys.argv[1]
    if mode != "bare":
        # as `trainer-gui` starts: ui.app (and with it trainer and sqlite-utils) loads before PySide6 does
        from ui import app as trainer_app
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if not self.seen and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget):
                self.seen = True
                print("painted", flush=True)
                QApplication.exit(0)
            return False

    app = QApplication(sys.argv[:1])
    first_paint = FirstPaint()
    app.installEventFilter(first_paint)  # the first paint of any widget, the same test for both
    if mode == "bare":
        window = QMainWindow()
        window.resize(1280, 800)
        window.show()
        return int(app.exec())
    # the real start, as `trainer-gui --db DB`: open (with its checks), saved settings, the window, and on
    # quitting the clean close that lets the next start skip the whole-file check
    return trainer_app.main(["--db", sys.argv[2]])


if __name__ == "__main__":
    sys.exit(main())
