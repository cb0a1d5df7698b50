"""Cached reads for the dashboard pages: the store's read functions behind ``st.cache_data`` with a short TTL.

``st.cache_data`` is shared by every browser session, so each wrapper is keyed by what decides the answer: the
viewer's role and bound state (``role``, ``actor_state``) and the plain arguments of the read. No wrapper reads
session state; pages pass ``*viewer()``.

Every cached read is also keyed by the **data version** (store/data_version.py), a counter every write moves in its
own transaction, in whichever process it runs: each page run reads it once (``context.data_version``) and a
read cached under an older version is never served again. So a write in one app process shows in every other
at its next rerun, on PostgreSQL with many processes as on DuckDB with one (issue 15); the TTL only bounds memory.
Writes in this process also clear the caches (``context.clear_read_caches``). **A new cached read must use this
mechanism**: decorate it with ``@_cache`` here, or ``@cached.read_cache(...)`` in another ui module, never with
``st.cache_data`` directly, which would serve another process's stale figures for the TTL.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from accompaniment import settings
from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.domain.scorecard import Period
from accompaniment.store import activity, commitments, dashboard, scorecard, secretariats, training
from accompaniment.store.agreements import open_agreements
from accompaniment.store.dashboard import NationalOverview
from accompaniment.store.secretariats import SecretariatSummary
from accompaniment.ui.context import current_actor, data_version, get_store

TTL = int(settings.get("cache_ttl_seconds"))
Viewer = tuple[str, str | None]


def viewer() -> Viewer:
    """The session's (role, bound state): the cache key of everything a page reads."""
    actor = current_actor()
    return actor.role.value, actor.state_code


def _actor(role: str, actor_state: str | None) -> Actor:
    return Actor(Role(role), state_code=actor_state, username=f"viewer:{role}")


def read_cache(ttl: int = TTL, max_entries: int = 512):  # noqa: ANN201 - a decorator factory
    """``st.cache_data`` keyed by the data version as well as the function's own arguments (module docstring)."""

    def decorate(func):  # noqa: ANN001, ANN202 - keeps the wrapped signature
        def keyed(data_version: int, *args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

        # st.cache_data names a cache by module and qualified name: one cache per wrapped read.
        keyed.__module__, keyed.__qualname__ = func.__module__, func.__qualname__
        keyed.__name__ = func.__name__
        stored = st.cache_data(ttl=ttl, show_spinner=False, max_entries=max_entries)(keyed)

        @functools.wraps(func)
        def read(*args: Any, **kwargs: Any) -> Any:
            return stored(data_version(), *args, **kwargs)

        read.clear = stored.clear
        return read

    return decorate


_cache = read_cache()


# ---- national ----------------------------------------------------------------------------------------------------


@_cache
def national_overview(role: str, actor_state: str | None, list_limit: int = 10) -> NationalOverview:
    return dashboard.national_overview(get_store(), _actor(role, actor_state), list_limit=list_limit)


@_cache
def participation(role: str, actor_state: str | None, state_code: str | None = None) -> pd.DataFrame:
    return dashboard.participation_by_sector_gender(
        get_store(), _actor(role, actor_state), state_code=state_code
    )


# ---- commitments -------------------------------------------------------------------------------------------------


@_cache
def list_commitments(
    role: str,
    actor_state: str | None,
    filters: tuple[tuple[str, Any], ...] = (),
    limit: int = 25,
    offset: int = 0,
) -> pd.DataFrame:
    """``filters`` are the keyword filters of ``dashboard.list_commitments`` as sorted (name, value) pairs."""
    return dashboard.list_commitments(
        get_store(), _actor(role, actor_state), **dict(filters), limit=limit, offset=offset
    )


@_cache
def count_commitments(role: str, actor_state: str | None, filters: tuple[tuple[str, Any], ...] = ()) -> int:
    return dashboard.count_commitments(get_store(), _actor(role, actor_state), **dict(filters))


@_cache
def get_commitment(role: str, actor_state: str | None, commitment_id: int) -> dict[str, Any]:
    return commitments.get_commitment(get_store(), _actor(role, actor_state), commitment_id)


@_cache
def commitment_timeline(role: str, actor_state: str | None, commitment_id: int) -> pd.DataFrame:
    return commitments.commitment_timeline(get_store(), _actor(role, actor_state), commitment_id)


@_cache
def milestone_schedule(
    role: str, actor_state: str | None, state_code: str, commitment_ids: Sequence[int] = ()
) -> pd.DataFrame:
    return dashboard.milestone_schedule(
        get_store(), _actor(role, actor_state), state_code, commitment_ids=list(commitment_ids) or None
    )


# ---- Agenda 2030 -------------------------------------------------------------------------------------------------


@_cache
def sdg_matrix(role: str, actor_state: str | None) -> pd.DataFrame:
    return dashboard.sdg_matrix(get_store(), _actor(role, actor_state))


@_cache
def sdg_contributions(
    role: str, actor_state: str | None, state_code: str | None = None, goal: int | None = None,
    target: str | None = None,
) -> pd.DataFrame:  # fmt: skip
    return dashboard.sdg_contributions(
        get_store(), _actor(role, actor_state), state_code=state_code, goal=goal, target=target
    )


@_cache
def sdg_goals(role: str, actor_state: str | None) -> pd.DataFrame:
    return dashboard.sdg_goals(get_store(), _actor(role, actor_state))


@_cache
def sdg_targets(role: str, actor_state: str | None, goal: int) -> pd.DataFrame:
    return dashboard.sdg_targets(get_store(), _actor(role, actor_state), goal)


# ---- one secretariat ---------------------------------------------------------------------------------------------


@_cache
def programme_states(role: str, actor_state: str | None) -> pd.DataFrame:
    return secretariats.list_programme_states(get_store(), _actor(role, actor_state))


@_cache
def secretariat(role: str, actor_state: str | None, state_code: str) -> SecretariatSummary:
    return secretariats.get_secretariat(get_store(), _actor(role, actor_state), state_code)


@_cache
def phase_history(role: str, actor_state: str | None, state_code: str) -> pd.DataFrame:
    return secretariats.phase_history(get_store(), _actor(role, actor_state), state_code)


@_cache
def stl_events(role: str, actor_state: str | None, state_code: str) -> pd.DataFrame:
    return secretariats.stl_events(get_store(), _actor(role, actor_state), state_code)


@_cache
def members(role: str, actor_state: str | None, state_code: str) -> pd.DataFrame:
    return secretariats.list_members(get_store(), _actor(role, actor_state), state_code)


@_cache
def members_by_sector(role: str, actor_state: str | None, state_code: str) -> pd.DataFrame:
    return secretariats.members_by_sector(get_store(), _actor(role, actor_state), state_code)


@_cache
def sessions(
    role: str,
    actor_state: str | None,
    state_code: str,
    limit: int = 25,
    offset: int = 0,
    held_from: date | None = None,
    held_to: date | None = None,
):
    return activity.list_sessions(
        get_store(), _actor(role, actor_state), state_code, limit=limit, offset=offset,
        held_from=held_from, held_to=held_to,
    )  # fmt: skip


@_cache
def workshops(
    role: str,
    actor_state: str | None,
    state_code: str,
    limit: int = 25,
    offset: int = 0,
    held_from: date | None = None,
    held_to: date | None = None,
):
    return activity.list_workshops(
        get_store(), _actor(role, actor_state), state_code, limit=limit, offset=offset,
        held_from=held_from, held_to=held_to,
    )  # fmt: skip


@_cache
def activity_years(role: str, actor_state: str | None, state_code: str) -> list[int]:
    return activity.activity_years(get_store(), _actor(role, actor_state), state_code)


@_cache
def agreements(role: str, actor_state: str | None, state_code: str, limit: int = 25, offset: int = 0):
    return open_agreements(
        get_store(), _actor(role, actor_state), state_code, limit=limit, offset=offset, include_closed=True
    )


# ---- co-creation scorecard ---------------------------------------------------------------------------------------


@_cache
def scorecards(
    role: str, actor_state: str | None, as_of: date, quarters: int = 4, state_code: str | None = None
) -> pd.DataFrame:
    """Every STL's scorecard (or only ``state_code``'s) over the ``quarters`` quarters ending with ``as_of``'s."""
    period = Period.last_quarters(as_of, quarters)
    return scorecard.state_scorecards(get_store(), _actor(role, actor_state), period, state_code=state_code)


@_cache
def scorecard_trends(role: str, actor_state: str | None, state_code: str, as_of: date, quarters: int = 8):
    period = Period.last_quarters(as_of, quarters)
    return scorecard.scorecard_trends(get_store(), _actor(role, actor_state), period, state_code=state_code)


# ---- training programme ------------------------------------------------------------------------------------------


@_cache
def calls_summary(role: str, actor_state: str | None) -> pd.DataFrame:
    return training.calls_summary(get_store(), _actor(role, actor_state))


@_cache
def call_states(role: str, actor_state: str | None, year: int) -> pd.DataFrame:
    return training.call_states(get_store(), _actor(role, actor_state), year)


@_cache
def fellows_by_state_gender(role: str, actor_state: str | None, year: int) -> pd.DataFrame:
    return training.fellows_by_state_gender(get_store(), _actor(role, actor_state), year)


@_cache
def fellows(role: str, actor_state: str | None, year: int, limit: int = 25, offset: int = 0) -> pd.DataFrame:
    return training.list_fellows(get_store(), _actor(role, actor_state), year, limit=limit, offset=offset)
