"""Progress: a redrawn bar on a terminal, plain lines now and then anywhere else."""

import io

from alongside.demo.progress import Progress, duration


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_it_redraws_one_line_with_a_bar_counts_and_time_left_on_a_terminal():
    stream, clock = Terminal(), Clock()
    progress = Progress("People", 4, stream=stream, clock=clock)
    clock.now += 10
    progress.advance()
    assert (
        stream.getvalue()
        == "\r\033[K[######..................] People 1/4 ( 25%), 10s, about 30s left"
    )
    for _ in range(3):
        progress.advance()
    assert stream.getvalue().endswith("\r\033[KPeople 4/4 (100%), 10s\n")
    assert stream.getvalue().count("\n") == 1


def test_it_writes_a_plain_line_every_few_seconds_and_at_the_end_elsewhere():
    stream, clock = io.StringIO(), Clock()
    progress = Progress("People", 300, stream=stream, clock=clock, every=5)
    for _ in range(299):
        clock.now += 0.25
        progress.advance()
    progress.advance()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "People 20/300 (  7%), 5s, about 1m 10s left"
    assert lines[-1] == "People 300/300 (100%), 1m 15s"
    assert len(lines) == 15 and "\r" not in stream.getvalue()


def test_it_says_durations_in_minutes_past_a_minute():
    assert (duration(0.4), duration(59), duration(61), duration(3600)) == (
        "0s",
        "59s",
        "1m 01s",
        "60m 00s",
    )
