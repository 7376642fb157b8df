"""Slow work runs in the background: the window hears progress, result, error and cancel on its own thread."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from trainer.merge import FileProblem, MergeRefused
from trainer.scoring import ScoreError
from trainer.tabular import ImportCancelled
from ui import worker
from ui.worker import TaskCancelled, TaskContext, is_cancellation, is_refusal, run_task


@pytest.fixture
def window(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    w.show()
    return w


def on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def test_progress_and_result_reach_the_window_on_its_thread(qtbot, window):
    seen: list[tuple[int, int, bool]] = []
    done: list[tuple[str, bool]] = []
    work_thread: list[bool] = []

    def work(ctx: TaskContext) -> str:
        work_thread.append(on_gui_thread())
        ctx.status("正在处理…")
        for i in range(1, 4):
            ctx.progress(i, 3)
        return "完成"

    handle = run_task(window, "测试任务", work, lambda r: done.append((r, on_gui_thread())))
    # Connecting right after run_task is safe: worker signals are queued until the event loop runs.
    handle.progressed.connect(lambda d, t: seen.append((d, t, on_gui_thread())))
    assert handle.dialog.isVisible() and handle.dialog.isModal()
    with qtbot.waitSignal(handle.finished, timeout=5000):
        pass

    assert work_thread == [False]
    assert seen == [(1, 3, True), (2, 3, True), (3, 3, True)]
    assert done == [("完成", True)]
    assert handle.ok and handle.result == "完成" and handle.error is None
    assert not handle.dialog.isVisible()
    assert worker.active_tasks() == 0


def test_an_error_is_handed_to_on_error_on_the_gui_thread(qtbot, window):
    errors: list[tuple[BaseException, bool]] = []

    def work(ctx: TaskContext) -> None:
        raise ValueError("文件损坏")

    handle = run_task(window, "测试任务", work, lambda r: pytest.fail("on_done must not run"),
                      lambda e: errors.append((e, on_gui_thread())))
    assert handle.wait(5000)
    [(exc, gui)] = errors
    assert isinstance(exc, ValueError) and str(exc) == "文件损坏" and gui
    assert not handle.ok and handle.error is exc and not handle.cancelled


def test_without_on_error_a_failure_is_shown_to_the_user(qtbot, window, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(worker, "show_task_error", lambda parent, title, exc: shown.append(f"{title}: {exc}"))

    def work(ctx: TaskContext) -> None:
        raise RuntimeError("磁盘已满")

    assert run_task(window, "导出", work, lambda r: None).wait(5000)
    assert shown == ["导出: 磁盘已满"]


def test_pressing_cancel_stops_the_task_and_reports_a_cancellation(qtbot, window):
    errors: list[tuple[BaseException, bool]] = []
    saw_cancel = threading.Event()

    def work(ctx: TaskContext) -> str:
        ctx.progress(0, 10)
        deadline = time.monotonic() + 10  # a bound, so a broken cancel fails the test instead of hanging it
        while not ctx.cancelled():
            if time.monotonic() > deadline:
                return "从未收到取消"
            saw_cancel.wait(0.002)
        saw_cancel.set()
        ctx.check()
        return "取消后仍然完成"

    handle = run_task(window, "长任务", work, lambda r: pytest.fail(f"on_done ran: {r}"),
                      lambda e: errors.append((e, on_gui_thread())))
    with qtbot.waitSignal(handle.progressed, timeout=5000):
        pass
    assert handle.dialog.cancel_button.isVisible()
    qtbot.mouseClick(handle.dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert "正在取消" in handle.dialog.label.text()
    assert handle.dialog.isVisible()  # stays up (and modal) until the task has really stopped
    assert handle.wait(5000)

    [(exc, gui)] = errors
    assert isinstance(exc, TaskCancelled) and gui and handle.cancelled
    assert saw_cancel.is_set()
    assert not handle.dialog.isVisible()


def test_a_task_that_cannot_be_cancelled_has_no_cancel_button_and_ignores_escape(qtbot, window):
    release = threading.Event()
    handle = run_task(window, "合并", lambda ctx: release.wait(10), lambda r: None, cancellable=False)
    assert not handle.dialog.cancel_button.isVisible()
    qtbot.keyClick(handle.dialog, Qt.Key.Key_Escape)
    handle.dialog.close()
    assert handle.dialog.isVisible() and not handle.cancel_requested
    release.set()
    assert handle.wait(5000) and handle.ok and handle.result is True


def test_tasks_run_one_after_another_because_they_share_one_database_connection(qtbot, window):
    order: list[str] = []
    release = threading.Event()

    def first(ctx: TaskContext) -> None:
        order.append("first starts")
        release.wait(10)
        order.append("first ends")

    def second(ctx: TaskContext) -> None:
        order.append("second starts")

    a = run_task(window, "甲", first, lambda r: None)
    b = run_task(window, "乙", second, lambda r: None)
    qtbot.waitUntil(lambda: order == ["first starts"], timeout=5000)
    release.set()
    assert a.wait(5000) and b.wait(5000)
    assert order == ["first starts", "first ends", "second starts"]


def test_the_services_own_cancel_counts_as_a_cancellation():
    assert is_cancellation(ImportCancelled()) and is_cancellation(TaskCancelled())
    assert not is_cancellation(ValueError())


def test_an_expected_refusal_logs_one_line_and_an_unexpected_failure_its_traceback(qtbot, window, caplog):
    """A tampered file or a wrong PIN is the program working: the user reads why in the window, and the console
    gets one line. A bug keeps its traceback."""
    def refused(ctx: TaskContext) -> None:
        raise MergeRefused([FileProblem(Path("a.score"), "签名不符"), FileProblem(Path("b.score"), "文件不完整")])

    def broken(ctx: TaskContext) -> None:
        raise KeyError("slot")

    def cancelled(ctx: TaskContext) -> None:
        raise ImportCancelled()

    with caplog.at_level(logging.WARNING, logger="ui.worker"):
        for work in (refused, broken, cancelled):
            assert run_task(window, "合并评分文件", work, lambda r: None, lambda e: None).wait(5000)
    refusal, failure = caplog.records  # the cancellation logs nothing
    assert (refusal.levelno, refusal.exc_info) == (logging.WARNING, None)
    assert refusal.getMessage() == "task '合并评分文件' refused: a.score: 签名不符 / b.score: 文件不完整"
    assert failure.levelno == logging.ERROR and failure.exc_info is not None and failure.exc_info[0] is KeyError


def test_the_projects_own_errors_are_refusals_and_everything_else_is_not():
    assert is_refusal(ScoreError("分数101高于满分100")) and is_refusal(MergeRefused([]))
    assert not is_refusal(ValueError("x")) and not is_refusal(KeyError("x")) and not is_refusal(ImportCancelled())


# ---- the window or the application goes away while a task runs ------------------------------------------------

def test_a_window_deleted_while_its_task_runs_is_not_called_back_and_nothing_breaks(qtbot, capfd):
    """The user closes the page (or the window) that started a slow task; the task finishes later and finds its
    window gone: nothing is called on it, nothing is printed, and the task counts as ended."""
    window = QWidget()
    window.show()
    release = threading.Event()
    called: list[object] = []
    handle = run_task(window, "打印证书", lambda ctx: release.wait(10), called.append, called.append)
    qtbot.waitUntil(lambda: handle.dialog.isVisible(), timeout=5000)
    window.close()
    shiboken6.delete(window)  # the window and its progress dialog are gone in C++
    release.set()
    assert handle.wait(5000) and handle.ok and handle.result is True
    assert called == []  # the callbacks belong to the deleted window
    assert worker.active_tasks() == 0
    assert "Error" not in capfd.readouterr().err


def test_a_task_that_ends_after_the_application_quit_emits_nothing(qtbot, capfd):
    """Closing the main window quits the application while a task (one that ignores 取消) still runs: PySide
    deletes the worker's dispatcher at exit, and the task's end used to print “RuntimeError: Signal source has
    been deleted” from the worker thread."""
    release = threading.Event()
    steps: list[str] = []

    def work(ctx: TaskContext) -> str:
        release.wait(10)
        ctx.progress(1, 2)   # reports after the application is gone must vanish quietly
        ctx.status("仍在处理…")
        steps.append("done")
        return "完成"

    handle = run_task(None, "导出", work, lambda r: pytest.fail("no callback after quitting"))
    try:
        shiboken6.delete(worker._the_dispatcher)  # what PySide does to every Qt object left at exit
        release.set()
        assert worker._pool().waitForDone(5000)
    finally:
        worker._the_dispatcher = None  # the next tests get a fresh one
    assert steps == ["done"] and not handle.done
    err = capfd.readouterr().err
    assert "Signal source has been deleted" not in err and "Traceback" not in err


def test_after_quit_is_announced_a_finishing_task_reports_nothing(qtbot, capfd, monkeypatch):
    """aboutToQuit: the window is closing; a task ending during the wait for it must not reach the dispatcher,
    which PySide deletes right after."""
    monkeypatch.setattr(worker, "_quitting", False)  # restored after the test: the session goes on
    release = threading.Event()
    handle = run_task(None, "合并", lambda ctx: release.wait(10), lambda r: pytest.fail("no callback"),
                      cancellable=False)
    threading.Timer(0.2, release.set).start()
    worker._shutdown()  # what aboutToQuit runs: cancel, then wait for the pools
    try:
        assert worker._quitting and worker._pool().waitForDone(5000)
        qtbot.wait(50)  # an `ended` posted anyway would be delivered here
        assert not handle.done
    finally:
        worker._dispatcher().handles.pop(handle.id, None)
        worker._dispatcher().outcomes.pop(handle.id, None)
        if handle.dialog is not None:
            handle.dialog.finish()
    assert "Error" not in capfd.readouterr().err


def test_garbage_is_collected_on_the_gui_thread_only(qtbot) -> None:
    """A worker building a PDF must never run the collector that frees Qt objects of the GUI thread."""
    import gc
    import threading
    import weakref

    from ui import gui_gc

    assert gui_gc.install() and not gc.isenabled()  # automatic collection is off …
    freed_in: list[str] = []

    class Node:
        pass

    def litter(_ctx) -> int:
        for _ in range(3000):  # far past generation 0's threshold: would trigger a collection in this thread
            a, b = Node(), Node()
            a.other, b.other = b, a
            weakref.finalize(a, lambda: freed_in.append(threading.current_thread().name))
        return 1

    done: list[int] = []
    run_task(None, "制造垃圾", litter, done.append)
    qtbot.waitUntil(lambda: done == [1], timeout=10_000)
    assert freed_in == []  # nothing collected in the worker
    qtbot.waitUntil(lambda: len(freed_in) >= 3000, timeout=10_000)  # … the GUI thread's timer does it
    assert set(freed_in) == {threading.main_thread().name}


def test_a_hold_puts_the_collection_off(qtbot) -> None:
    import gc

    from ui import gui_gc

    gui_gc.install()
    gc.collect()
    gui_gc.hold()
    try:
        cycles = []
        for _ in range(2000):
            x: list[object] = []
            x.append(x)
            cycles.append(x)
        del cycles, x
        before = gc.get_count()[0]
        qtbot.wait(gui_gc.INTERVAL_MS * 3)
        assert gc.get_count()[0] >= before  # held: nothing collected
    finally:
        gui_gc.release()
    qtbot.waitUntil(lambda: gc.get_count()[0] < 700, timeout=5_000)
