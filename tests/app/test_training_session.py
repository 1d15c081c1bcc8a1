"""ui.training.Session under threads: one thread at a time per session, and each run's own random stream."""

import threading
import time

import torch

from ui import training

CFG = {"data": "ring8", "steps": 3000, "seed": 0}


class StubTrainer:
    """Counts rounds and records any round entered by two threads at once, or without the session's lock and the
    stream lock held by the calling thread."""

    def __init__(self, cfg, data):
        self.step, self.G, self.D, self.device = 0, None, None, torch.device("cpu")
        self.session = None
        self.inside = 0
        self.faults: list[str] = []

    def round(self):
        self.inside += 1
        if self.inside > 1:
            self.faults.append("two threads inside round()")
        if not self.session.lock._is_owned():
            self.faults.append("round() without the session's lock")
        if not training.STREAM_LOCK.locked():
            self.faults.append("round() without the stream lock")
        time.sleep(0.002)  # lets the other thread run: without the lock the two rounds overlap
        self.step += 1
        self.inside -= 1
        return [0.0, 0.0, 0.0, 0.0]


def stub_session(monkeypatch) -> training.Session:
    monkeypatch.setattr(training, "Trainer", StubTrainer)
    monkeypatch.setattr(training, "evaluate", lambda *a: ({"modes": 0}, torch.zeros(1, 2), None))
    s = training.Session(CFG)
    s.trainer.session = s
    return s


def test_concurrent_advances_take_turns_and_every_round_is_reported(monkeypatch):
    s = stub_session(monkeypatch)
    reported, errors = [], []
    start = threading.Barrier(2)

    def play():
        try:
            start.wait()
            for _ in range(5):
                reported.append(s.advance(20))
        except Exception as err:  # noqa: BLE001 - any error is the failure this test looks for
            errors.append(err)

    threads = [threading.Thread(target=play) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and s.trainer.faults == []
    assert len(reported) == 10 and s.trainer.step == sum(reported) == 200
    assert len(s.log) == 200 and [m["step"] for m in s.metrics][-1] == 200


def test_a_tick_that_finds_the_session_busy_trains_nothing(monkeypatch):
    s = stub_session(monkeypatch)
    held, release = threading.Event(), threading.Event()

    def hold():
        with s.lock:
            held.set()
            release.wait(10)

    other = threading.Thread(target=hold)
    other.start()
    held.wait(10)
    assert s.advance(50, training.BUDGET, wait=False) is None
    release.set()
    other.join()
    assert s.trainer.step == 0
    assert s.advance(50, None, wait=False) == 50 and s.trainer.step == 50


def test_sessions_training_at_the_same_moment_keep_their_seeded_runs():
    """Two sessions of one seed trained in two threads at once log exactly what one alone logs."""
    cfg = {"data": "ring8", "steps": 3000, "seed": 3, "batch": 16}
    alone = training.Session(cfg)
    alone.advance(30)
    torch.manual_seed(123)  # the global stream's state is none of a session's business
    pair = [training.Session(cfg), training.Session(cfg)]

    def play(s):
        for _ in range(6):
            s.advance(5)

    threads = [threading.Thread(target=play, args=(s,)) for s in pair]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in pair:
        assert s.log == alone.log


def test_the_stream_lock_serves_first_come_first_served_and_counts_who_waits():
    lock = training.FairLock()
    order, threads = [], []

    def take(i):
        with lock:
            order.append(i)

    with lock:
        assert lock.locked() and lock.waiting == 0
        for i in range(5):
            threads.append(threading.Thread(target=take, args=(i,)))
            threads[-1].start()
            while lock.waiting < i + 1:  # this thread is in line before the next one asks
                time.sleep(0.001)
        assert lock.waiting == 5
    for t in threads:
        t.join()
    assert order == [0, 1, 2, 3, 4]
    assert not lock.locked() and lock.waiting == 0


def test_a_run_that_waited_longer_than_a_tick_says_the_server_is_busy():
    assert training.busy_note(training.BUDGET, 3) is None  # waiting up to one turn is normal
    assert training.busy_note(1.26, 3) == (
        "The server is busy: this run waited 1.3 s for its turn (3 other runs wait); every playing run trains "
        f"in turn, {training.BUDGET:g} s at a time, so all of them advance."
    )
    assert "(1 other run waits)" in training.busy_note(2.0, 1)


def test_advance_records_how_long_it_waited_for_another_sessions_training(monkeypatch):
    s = stub_session(monkeypatch)
    held, release = threading.Event(), threading.Event()

    def other_session():
        with training.STREAM_LOCK:
            held.set()
            release.wait()

    t = threading.Thread(target=other_session)
    t.start()
    held.wait()
    timer = threading.Timer(0.3, release.set)
    timer.start()
    s.advance(1)
    t.join()
    assert s.waited >= 0.3 and s.trainer.step == 1


def test_a_tick_that_gets_the_session_after_pause_trains_nothing(monkeypatch):
    """A tick that saw the run playing but got the session only after Pause was handled leaves the run as drawn."""
    s = stub_session(monkeypatch)
    s.playing = False
    assert s.advance(50, training.BUDGET, wait=False, tick=True) is None
    assert s.trainer.step == 0 and len(s.metrics) == 1
    s.playing = True
    assert s.advance(5, training.BUDGET, wait=False, tick=True) == 5 and s.trainer.step == 5


def test_a_ticks_budget_is_its_threads_cpu_time_not_the_wall_clock(monkeypatch):
    """A round that waits (here asleep 2 ms, as when other sessions' threads hold the GIL) spends wall time but
    almost no CPU time: 20 such rounds (≥ 40 ms of wall time) fit a 10 ms budget of the thread's CPU time, where a
    wall-clock budget stopped after about 5 and a class of P players trained ~1/P² as fast (bench_play)."""
    s = stub_session(monkeypatch)
    t0 = time.perf_counter()
    assert s.advance(20, budget=0.01) == 20
    assert time.perf_counter() - t0 >= 0.04
