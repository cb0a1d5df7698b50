"""Running the command line in process, as the installed ``accompaniment`` entry point runs it.

One helper for every CLI test: the database and any other setting come from the environment, the arguments from
``sys.argv``, and the exit code, stdout and stderr are returned. ``main()`` sets the language of its messages from
``--lang``; the helper puts it back afterwards so one test's ``--lang=en`` does not leak into the next.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass

import pytest

from accompaniment import cli as cli_module


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


def run_main(
    url: str,
    *args: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stdin: str | None = None,
    settings: dict[str, str] | None = None,
) -> CliResult:
    """Run ``accompaniment <args>`` against the database at ``url``; ``settings`` are extra ACCOMPANIMENT_* values."""
    monkeypatch.setenv("ACCOMPANIMENT_DATABASE_URL", url)
    for name, value in (settings or {}).items():
        monkeypatch.setenv(f"ACCOMPANIMENT_{name.upper()}", value)
    monkeypatch.setattr(sys, "argv", ["accompaniment", *args])
    monkeypatch.setattr(cli_module, "_message_lang", cli_module._message_lang)
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    capsys.readouterr()
    try:
        cli_module.main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return CliResult(code, captured.out, captured.err)
