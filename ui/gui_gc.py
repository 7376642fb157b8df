"""Python's cyclic garbage collector runs on the GUI thread only.

Automatic collection starts in whichever thread happens to allocate. When it runs in a worker (a PDF being
built, a file being read) and frees a Qt wrapper that belongs to the GUI thread, Qt can crash: we saw it as a
rare segmentation fault in the classes page tests. As Anki and calibre do, automatic collection is switched
off once a GUI exists, and a timer on the GUI thread collects whenever the counts pass Python's own
thresholds. `hold()` / `release()` put the collection off for a moment (the dashboard keeps it off until its
figures are painted); holds nest.

    gui_gc.install()     # idempotent; ui.app and the background-task helper call it
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500

_collector: _Collector | None = None
_holds = 0


class _Collector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        gc.disable()

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, as the automatic collector would."""
        if _holds:
            return
        counts, limits = gc.get_count(), self.threshold
        for generation in (2, 1, 0):
            if counts[generation] > limits[generation]:
                gc.collect(generation)
                return


def install() -> bool:
    """Switch automatic collection over to the GUI thread's timer; False when there is no application yet."""
    global _collector
    if _collector is not None:
        return True
    app = QCoreApplication.instance()
    if app is None:
        return False
    _collector = _Collector(app)
    app.aboutToQuit.connect(gc.enable)  # after the event loop: nothing is left to race with
    return True


def installed() -> bool:
    return _collector is not None


def hold() -> None:
    global _holds
    _holds += 1


def release() -> None:
    global _holds
    _holds = max(0, _holds - 1)


def held() -> bool:
    return _holds > 0
