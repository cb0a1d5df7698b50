"""Demo accounts, one per role, created only by ``accompaniment demo`` with random passwords that it prints.
There are no default passwords anywhere else."""

from __future__ import annotations

import secrets

from accompaniment.access import SYSTEM
from accompaniment.store.database import Store
from accompaniment.store.users import create_user

DEMO_ACCOUNTS = [
    ("especialista", "specialist", None, "Especialista en diálogo (demo)"),
    ("grupo", "working_group", None, "Grupo de Trabajo del Proyecto (demo)"),
    ("oaxaca", "secretariat", "20", "Secretariado de Oaxaca (demo)"),
    ("tlaxcala", "secretariat", "29", "Secretariado de Tlaxcala (demo)"),
    ("admin", "admin", None, "Administración (demo)"),
]


def create_demo_accounts(
    store: Store, password_for: dict[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """Create the demo accounts that do not exist yet; returns (username, role, password) of each created."""
    from accompaniment.store.users import list_users

    existing = set(list_users(store, SYSTEM)["username"])
    created = []
    for username, role, state_code, display in DEMO_ACCOUNTS:
        if username in existing:
            continue
        password = (password_for or {}).get(username) or secrets.token_urlsafe(12)
        create_user(
            store,
            SYSTEM,
            {"username": username, "display_name": display, "role": role, "state_code": state_code},
            password,
            is_demo=True,
        )
        created.append((username, role, password))
    return created
