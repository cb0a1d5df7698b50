"""One real process doing one thing to the database at ``argv[1]``, for tests/reliability/test_several_processes.py.

Usage: ``process_worker.py URL ACTION [ARG ...]``; each action waits until ``ACCOMPANIMENT_START_AT`` (a Unix time)
if it is set, so several processes started one after another act at the same moment, then prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path


def _wait_for_start() -> None:
    start_at = float(os.environ.get("ACCOMPANIMENT_START_AT", "0"))
    while time.time() < start_at:
        time.sleep(0.005)


def main() -> None:
    url, action, *args = sys.argv[1:]
    from accompaniment.store.database import open_store, utcnow

    if action == "open":  # what every app process does first: migrate, load reference data
        _wait_for_start()
        store = open_store(url)
        print(json.dumps({"opened": True}), flush=True)
        store.engine.dispose()
        return

    store = open_store(url)
    from accompaniment.domain.errors import AccompanimentError
    from accompaniment.store import sessions, users

    _wait_for_start()
    if action == "fail-sign-ins":  # username, attempts, wrong password
        username, attempts, password = args[0], int(args[1]), args[2]
        refused = 0
        for _ in range(attempts):
            try:
                users.authenticate(store, username, password)
            except AccompanimentError:
                refused += 1
        print(json.dumps({"refused": refused}), flush=True)
    elif action == "sign-in":  # username, password: signs in and starts a session; prints its token
        try:
            account = users.authenticate(store, args[0], args[1])
        except AccompanimentError as exc:
            print(json.dumps({"signed_in": False, "error": type(exc).__name__}), flush=True)
        else:
            when = datetime.fromisoformat(args[2]) if len(args) > 2 else utcnow()
            token = sessions.start(store, account, now=when)
            print(json.dumps({"signed_in": True, "token": token}), flush=True)
    elif action == "resume":  # token, ISO time of the click
        check = sessions.resume(store, args[0], now=datetime.fromisoformat(args[1]))
        print(json.dumps({"status": check.status.value}), flush=True)
    elif action == "auto-backup":  # folder
        from accompaniment.io.backup import auto_backup

        written = auto_backup(store, folder=Path(args[0]))
        print(json.dumps({"written": str(written) if written else None}), flush=True)
    else:
        raise SystemExit(f"unknown action {action}")
    store.engine.dispose()


if __name__ == "__main__":
    main()
