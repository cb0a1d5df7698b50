"""Driving ``crash_writer.py`` from a test: start a writer, let it commit, kill it, collect what it reported."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

WRITER = Path(__file__).with_name("crash_writer.py")


class WriterServer:
    """``crash_writer.py`` running as a fork server; each round forks one writer, which the test kills."""

    def __init__(self, url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.strip())

    def _next(self) -> str:
        try:
            return self.lines.get(timeout=60)
        except queue.Empty:
            self.process.kill()
            raise AssertionError(f"the writer stopped talking:\n{self.process.stderr.read()}") from None

    def start(self, tag: str, limit: int | None = None) -> Round:
        """Fork a writer for ``tag``; with ``limit`` it stops after that many sessions and idles until killed."""
        self.process.stdin.write(tag + (f" {limit}" if limit else "") + "\n")
        self.process.stdin.flush()
        current = Round()
        while current.pid is None:
            current.take(self._next())
        return current

    def wait_for_commits(self, current: Round, count: int = 1) -> None:
        while len(current.reported) < count:
            current.take(self._next())

    def kill(self, current: Round) -> dict[int, int]:
        """SIGKILL the writer; return what it reported as committed (session id -> agreements)."""
        os.kill(current.pid, signal.SIGKILL)
        while current.status is None:
            current.take(self._next())
        if not (os.WIFSIGNALED(current.status) and os.WTERMSIG(current.status) == signal.SIGKILL):
            self.process.kill()
            raise AssertionError(f"the writer died on its own:\n{self.process.stderr.read()}")
        return current.reported

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


class Round:
    def __init__(self) -> None:
        self.pid: int | None = None
        self.status: int | None = None
        self.reported: dict[int, int] = {}

    def take(self, line: str) -> None:
        words = line.split()
        if not words:
            return
        if words[0] == "started":
            self.pid = int(words[1])
        elif words[0] == "ended":
            self.status = int(words[2])
        elif len(words) == 2:
            self.reported[int(words[0])] = int(words[1])
        # else: half a report, cut short by the kill; the session may have committed, and the check allows for one
