"""The app's one way to run slow work (imports, printing, merges) off the GUI thread.

`run_task` runs `fn(ctx)` on a single-thread pool, so tasks sharing the app's one SQLite connection
never overlap, and shows an application-modal progress dialog so the user cannot start other database
work meanwhile. Progress, result and error all reach the caller on the GUI thread.

The worker thread touches no widget and never holds the last reference to a Qt object: it reports
through one dispatcher that lives for the whole session, and hands its result over in a plain dict
before announcing the end, so a dialog closed right afterwards is never destroyed off the GUI thread.

Nobody may be left to hear a task that ends late. Once the application quits (aboutToQuit; PySide then deletes
the dispatcher at exit) a worker reports nothing, where emitting used to print “RuntimeError: Signal source has
been deleted”; and a task whose window (its parent) was deleted meanwhile ends without calling back into it.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from trainer.tabular import ImportCancelled
from ui import gui_gc
from ui.qt_runtime import quiet_feature_hook

T = TypeVar("T")
log = logging.getLogger(__name__)


class TaskCancelled(Exception):
    """Raised inside a task (by `TaskContext.check`) when the user pressed 取消."""


def is_cancellation(exc: BaseException) -> bool:
    """True for the ways a task says it stopped because the user cancelled (nothing was written)."""
    return isinstance(exc, TaskCancelled | ImportCancelled)


def is_refusal(exc: BaseException) -> bool:
    """True for an expected refusal: one of the project's own error classes (trainer, exports), whose message
    is for the user (a tampered file, a wrong PIN). The user is shown it; the console needs no traceback."""
    return not is_cancellation(exc) and type(exc).__module__.partition(".")[0] in ("trainer", "exports")


class TaskContext:
    """What a running task may do: report progress and status, and ask whether the user cancelled."""

    def __init__(self, task_id: int, cancel_event: threading.Event):
        self._id = task_id
        self._cancel = cancel_event

    def progress(self, done: int, total: int) -> None:
        _post("progressed", self._id, int(done), int(total))

    def status(self, text: str) -> None:
        """Replace the line above the progress bar (e.g. 正在读取文件…)."""
        _post("status", self._id, text)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise TaskCancelled if the user cancelled; call it between steps that are safe to stop at."""
        if self._cancel.is_set():
            raise TaskCancelled()


class ProgressDialog(QDialog):
    """Title, a status line, a bar and 取消. Only the task closes it, so the window stays blocked until
    the work (and any rollback) has really finished; Esc and the close button mean 取消."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None, title: str, cancellable: bool):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(420)
        self._cancellable = cancellable
        self._closing = False
        self.label = QLabel(title + "…")
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the task reports a total
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setVisible(cancellable)
        self.cancel_button.clicked.connect(self.request_cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)

    def set_progress(self, done: int, total: int) -> None:
        if total <= 0:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, total)
            self.bar.setValue(max(0, min(done, total)))

    def request_cancel(self) -> None:
        if not self._cancellable or not self.cancel_button.isEnabled():
            return
        self.cancel_button.setEnabled(False)
        self.label.setText("正在取消，请稍候…")
        self.cancel_requested.emit()

    def finish(self) -> None:
        self._closing = True
        self.done(0)

    def reject(self) -> None:  # Esc
        self.request_cancel()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            event.accept()
        else:
            event.ignore()
            self.request_cancel()


class _Dispatcher(QObject):
    # One per session, living in the GUI thread: signals emitted by workers are queued to it.
    progressed = Signal(int, int, int)  # task id, done, total
    status = Signal(int, str)
    ended = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.handles: dict[int, TaskHandle[Any]] = {}
        self.outcomes: dict[int, tuple[bool, object]] = {}  # written by the worker before `ended`
        self.progressed.connect(self._route_progress)
        self.status.connect(self._route_status)
        self.ended.connect(self._route_end)

    def _route_progress(self, task_id: int, done: int, total: int) -> None:
        handle = self.handles.get(task_id)
        if handle is not None:
            handle._progressed(done, total)

    def _route_status(self, task_id: int, text: str) -> None:
        handle = self.handles.get(task_id)
        if handle is not None:
            handle._status(text)

    def _route_end(self, task_id: int) -> None:
        ok, value = self.outcomes.pop(task_id)
        handle = self.handles.pop(task_id, None)
        if handle is not None:
            handle._ended(ok, value)


_the_dispatcher: _Dispatcher | None = None
_the_pool: QThreadPool | None = None
_the_reader_pool: QThreadPool | None = None
_ids = itertools.count(1)
_quitting = False  # set when the application quits: from then on workers report nothing


def _post(signal: str, *args: object) -> None:
    """Emit one of the dispatcher's signals from a worker thread, unless nobody is left to hear it: the application
    has quit, or PySide has deleted the dispatcher (it deletes every Qt object left at exit)."""
    d = _the_dispatcher
    if _quitting or d is None or not isValid(d):
        return
    try:
        getattr(d, signal).emit(*args)
    except RuntimeError:  # deleted between the check and the emit: the application is going away
        log.debug("task report %s dropped: the application has quit", signal)


def _dispatcher() -> _Dispatcher:
    global _the_dispatcher
    if _the_dispatcher is None:
        _the_dispatcher = _Dispatcher()
    return _the_dispatcher


def _pool() -> QThreadPool:
    global _the_pool
    if _the_pool is None:
        _the_pool = QThreadPool()
        _the_pool.setMaxThreadCount(1)  # one SQLite connection: tasks run one after another
        gui_gc.install()  # from now on Python collects garbage on the GUI thread only (see ui.gui_gc)
        quiet_feature_hook()  # worker threads import modules: shiboken's hook must not read them (ui.qt_runtime)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(_shutdown)
    return _the_pool


def _reader_pool() -> QThreadPool:
    global _the_reader_pool
    if _the_reader_pool is None:
        _pool()  # installs the shutdown hook
        _the_reader_pool = QThreadPool()
        _the_reader_pool.setMaxThreadCount(1)
    return _the_reader_pool


def _shutdown() -> None:
    global _quitting
    _quitting = True
    for handle in list(_dispatcher().handles.values()):
        handle.cancel()
    for pool in (_the_pool, _the_reader_pool):
        if pool is not None:
            pool.waitForDone(10_000)


def _worker_body(task_id: int, box: list[Any]) -> Callable[[], None]:
    def run() -> None:
        fn, ctx = box.pop(), box.pop()
        try:
            value: object = fn(ctx)
            outcome = (True, value)
        except BaseException as exc:  # everything goes back to the GUI thread; nothing dies silently
            outcome = (False, exc)
        # Hand over, then drop our references (fn may be a widget's method) before announcing the end.
        d = _the_dispatcher
        if d is not None and not _quitting and isValid(d):
            d.outcomes[task_id] = outcome
        del fn, ctx, outcome
        value = None
        _post("ended", task_id)

    return run


class TaskHandle(QObject, Generic[T]):
    """A running task. `finished` fires after on_done/on_error ran; `wait()` serves tests and scripts."""

    progressed = Signal(int, int)
    status_changed = Signal(str)
    finished = Signal()

    def __init__(self, parent: QWidget | None, title: str, on_done: Callable[[T], None],
                 on_error: Callable[[BaseException], None] | None, cancellable: bool, show_dialog: bool = True):
        super().__init__()
        self.id = next(_ids)
        self.title = title
        self.running = True  # the work itself is going on (False from the moment it ended)
        self.done = False  # True once on_done/on_error has run
        self.ok = False
        self.result: T | None = None
        self.error: BaseException | None = None
        self.status_text = ""
        self._parent = parent
        self._on_done, self._on_error = on_done, on_error
        self._cancel = threading.Event()
        self.dialog: ProgressDialog | None = None
        if show_dialog:
            self.dialog = ProgressDialog(parent, title, cancellable)
            self.dialog.cancel_requested.connect(self.cancel)

    def cancel(self) -> None:
        """Ask the task to stop; the task decides where (apply_import rolls its transaction back)."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    @property
    def cancelled(self) -> bool:
        """The task ended because of a cancel (so it wrote nothing)."""
        return self.error is not None and is_cancellation(self.error)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Run the event loop until the task has finished; False on timeout."""
        if self.done:
            return True
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        return self.done

    def _start(self, fn: Callable[[TaskContext], T], pool: QThreadPool | None = None) -> None:
        _dispatcher().handles[self.id] = self
        if self.dialog is not None:
            self.dialog.show()
        (pool or _pool()).start(_worker_body(self.id, [TaskContext(self.id, self._cancel), fn]))

    def _dialog(self) -> ProgressDialog | None:
        """The progress dialog while it exists (deleting the parent window deletes it too)."""
        return self.dialog if self.dialog is not None and isValid(self.dialog) else None

    @property
    def orphaned(self) -> bool:
        """The window that started the task has been deleted: nothing may be called on it any more."""
        return self._parent is not None and not isValid(self._parent)

    def _progressed(self, done: int, total: int) -> None:
        if (dialog := self._dialog()) is not None:
            dialog.set_progress(done, total)
        self.progressed.emit(done, total)

    def _status(self, text: str) -> None:
        self.status_text = text
        if (dialog := self._dialog()) is not None and not self._cancel.is_set():
            dialog.label.setText(text)
        self.status_changed.emit(text)

    def _ended(self, ok: bool, value: object) -> None:
        # Close the progress dialog first, so a message shown by a callback is not hidden behind it.
        self.running = False
        if (dialog := self._dialog()) is not None:
            dialog.finish()
            dialog.deleteLater()
        self.ok = ok
        try:
            if ok:
                self.result = value  # type: ignore[assignment]
                if not self.orphaned:
                    self._on_done(value)  # type: ignore[arg-type]
            else:
                assert isinstance(value, BaseException)
                self.error = value
                if is_refusal(value):  # expected: one line, no traceback
                    log.warning("task %r refused: %s", self.title, " / ".join(str(value).splitlines()))
                elif not is_cancellation(value):
                    log.error("task %r failed", self.title, exc_info=value)
                if self.orphaned:
                    pass  # its window is gone: the log above is all that is left to tell
                elif self._on_error is not None:
                    self._on_error(value)
                elif not is_cancellation(value):
                    show_task_error(self._parent, self.title, value)
        finally:
            self.done = True
            self.finished.emit()


def show_task_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    QMessageBox.critical(parent, title, f"{title}失败：{exc}")


def run_task(parent: QWidget | None, title: str, fn: Callable[[TaskContext], T], on_done: Callable[[T], None],
             on_error: Callable[[BaseException], None] | None = None, cancellable: bool = True) -> TaskHandle[T]:
    """Run `fn(ctx)` in the background behind a modal progress dialog; call back on the GUI thread.

    Without `on_error`, a failure shows a message box and a cancellation is silent. A task stops on
    cancel by raising (TaskCancelled via `ctx.check()`, or a service's own ImportCancelled); one that
    ignores the request simply completes, and `on_done` gets its result.
    """
    handle: TaskHandle[T] = TaskHandle(parent, title, on_done, on_error, cancellable)
    handle._start(fn)
    return handle


def run_reader(parent: QWidget | None, title: str, fn: Callable[[TaskContext], T], on_done: Callable[[T], None],
               on_error: Callable[[BaseException], None] | None = None) -> TaskHandle[T]:
    """Run read-only work that opens its own connection (the dashboard's figures) without a progress dialog.

    It runs on a reader thread of its own, so it neither waits behind an import nor blocks the window; the
    page shows its own 正在统计… line (`ctx.status` arrives as `TaskHandle.status_changed`). Only one reader runs
    at a time, so a reader's connection is never used by two threads at once.
    """
    handle: TaskHandle[T] = TaskHandle(parent, title, on_done, on_error, cancellable=True, show_dialog=False)
    handle._start(fn, _reader_pool())
    return handle


def active_tasks() -> int:
    """How many tasks are queued or running (the main window may refuse to quit meanwhile)."""
    return len(_dispatcher().handles)
