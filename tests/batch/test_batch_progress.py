"""The batch's progress bar: on a terminal it counts plans and time left; elsewhere it is quiet."""

from __future__ import annotations

import io

from smartpick.batch.progress import ProgressBar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_counts_plans_failures_and_reused_plans_on_a_terminal() -> None:
    screen = _Terminal()
    bar = ProgressBar(4, stream=screen)
    bar.advance(reused=True)
    bar.advance()
    bar.advance(failed=True)
    bar.close()
    last = screen.getvalue().rstrip("\n").split("\r")[-1]
    assert last.startswith("[######################........] 3/4 plans")
    assert "1 from an earlier run" in last and "1 failed" in last and "left" in last


def test_progress_bar_writes_nothing_when_not_a_terminal() -> None:
    log = io.StringIO()
    bar = ProgressBar(2, stream=log)
    bar.advance()
    bar.close()
    assert log.getvalue() == ""
