"""Progress lines when stderr is not a terminal: a start, a line every interval, a duration."""

from __future__ import annotations

import io
import threading

from training.progress import LineProgress, progress_bars, progress_lines


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_lines_at_start_every_interval_and_end():
    out, clock = io.StringIO(), Clock()
    track = LineProgress(out, interval=5.0, clock=clock)
    for _ in track(range(4), "preparing comments"):
        clock.now += 3.0  # each item takes 3 s: a line after the 2nd and the 4th
    assert out.getvalue().splitlines() == [
        "preparing comments: started (4 to do)",
        "preparing comments: 2/4 (50%), 6.0 s",
        "preparing comments: 4/4 (100%), 12.0 s",
        "preparing comments: done 4/4 in 12.0 s",
    ]


def test_a_step_that_fails_still_says_where_it_stopped():
    out, clock = io.StringIO(), Clock()
    track = LineProgress(out, interval=5.0, clock=clock)
    try:
        for i in track(range(3), "act folds"):
            clock.now += 1.0
            if i == 1:
                raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert out.getvalue().splitlines()[-1] == "act folds: done 1/3 in 2.0 s"


def test_a_long_single_item_still_writes_lines():
    out = io.StringIO()
    release = threading.Event()
    with progress_lines(out, interval=0.05) as track:
        for _ in track([None], "act final model"):
            # the heartbeat writes while the one item is being worked on
            for _ in range(400):
                if out.getvalue().count("act final model: 0/1 (0%)") >= 2:
                    break
                release.wait(0.01)
    lines = out.getvalue().splitlines()
    assert lines[0] == "act final model: started (1 to do)"
    assert sum(line.startswith("act final model: 0/1 (0%), ") for line in lines) >= 2
    assert lines[-1].startswith("act final model: done 1/1 in ")


def test_not_a_terminal_means_lines(capsys):
    with progress_bars(terminal=False) as track:
        assert list(track([1, 2], "step")) == [1, 2]
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "step: started (2 to do)" and err[-1].startswith("step: done 2/2 in ")


def test_a_terminal_gets_a_bar_and_the_duration(capsys):
    with progress_bars(terminal=True) as track:
        assert list(track([1, 2], "step")) == [1, 2]
    assert "step: done in " in capsys.readouterr().err
