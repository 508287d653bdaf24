"""Reading batches and the schedule's big jobs take turns (daemon.ocr.turns)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from daemon.ocr.turns import Turns

WAIT = 5.0  # seconds a step may take before the test calls it stuck


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "stuck"
        time.sleep(0.01)


def _in_thread(fn: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=fn, daemon=True)
    thread.start()
    return thread


def test_reading_batches_share_the_turn() -> None:
    turns = Turns()
    with turns.shared():
        entered = threading.Event()

        def second() -> None:
            with turns.shared():
                entered.set()

        _in_thread(second)
        assert entered.wait(WAIT)


def test_a_big_job_waits_for_the_batches_in_hand_and_then_runs_alone() -> None:
    turns = Turns()
    order: list[str] = []
    batch_may_end = threading.Event()
    batch_started = threading.Event()

    def batch() -> None:
        with turns.shared():
            batch_started.set()
            batch_may_end.wait(WAIT)
            order.append("batch ends")

    def job() -> None:
        with turns.alone():
            order.append("job runs")

    reading = _in_thread(batch)
    assert batch_started.wait(WAIT)
    running = _in_thread(job)
    running.join(0.2)
    assert running.is_alive() and order == []  # the batch in hand keeps it out
    batch_may_end.set()
    reading.join(WAIT)
    running.join(WAIT)
    assert order == ["batch ends", "job runs"]


def test_new_batches_wait_while_a_big_job_runs_or_waits() -> None:
    turns = Turns()
    order: list[str] = []
    in_hand = threading.Event()
    release_first = threading.Event()

    def first_batch() -> None:
        with turns.shared():
            in_hand.set()
            release_first.wait(WAIT)
            order.append("first batch")

    def job() -> None:
        with turns.alone():
            order.append("job")

    def later_batch() -> None:
        with turns.shared():
            order.append("later batch")

    threads = [_in_thread(first_batch)]
    assert in_hand.wait(WAIT)
    threads.append(_in_thread(job))
    _until(lambda: len(turns._waiting) == 1)  # the job waits for the first batch
    threads.append(_in_thread(later_batch))
    threads[-1].join(0.2)
    assert order == []  # a waiting job goes before a batch that came after it
    release_first.set()
    for thread in threads:
        thread.join(WAIT)
    assert order == ["first batch", "job", "later batch"]


def test_the_turn_is_given_back_when_the_job_fails() -> None:
    turns = Turns()
    try:
        with turns.alone():
            raise RuntimeError("the report failed")
    except RuntimeError:
        pass
    done = threading.Event()

    def batch() -> None:
        with turns.shared():
            done.set()

    _in_thread(batch)
    assert done.wait(WAIT)


def test_a_batch_goes_ahead_when_a_big_job_holds_the_turn_too_long() -> None:
    turns = Turns(max_wait=0.2)  # a hung report must not stop the intake
    job_may_end = threading.Event()
    job_running = threading.Event()

    def job() -> None:
        with turns.alone():
            job_running.set()
            job_may_end.wait(WAIT)

    running = _in_thread(job)
    assert job_running.wait(WAIT)
    done = threading.Event()

    def batch() -> None:
        with turns.shared():
            done.set()

    _in_thread(batch)
    assert done.wait(WAIT) and running.is_alive()  # read while the job still runs
    job_may_end.set()
    running.join(WAIT)


def test_batches_stop_giving_way_to_a_job_kept_waiting_too_long() -> None:
    turns = Turns(max_wait=60.0)  # a long batch in hand must not hold up the others
    long_batch_may_end = threading.Event()
    long_batch_started = threading.Event()

    def long_batch() -> None:
        with turns.shared():
            long_batch_started.set()
            long_batch_may_end.wait(WAIT)

    def job() -> None:
        with turns.alone():
            pass

    threads = [_in_thread(long_batch)]
    assert long_batch_started.wait(WAIT)
    threads.append(_in_thread(job))
    _until(lambda: len(turns._waiting) == 1)
    with turns._cond:  # the job has waited longer than max_wait (without the test waiting)
        (job_waiting,) = turns._waiting
        turns._waiting[job_waiting] -= 61.0
    done = threading.Event()

    def batch() -> None:
        with turns.shared():
            done.set()

    threads.append(_in_thread(batch))
    assert done.wait(WAIT)  # not after a max_wait of its own
    long_batch_may_end.set()
    for thread in threads:
        thread.join(WAIT)
