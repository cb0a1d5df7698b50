"""Sign-in, sign-out, the idle timeout and optional single sign-on, kept in the browser session's state.

``sign_in_panel`` runs on every rerun before the navigation is built (``shell.run``). It checks the signed-in
account each time: the account must still have the id, the username and the security stamp the session began
with, and be active, so a password reset, a deactivation, a change of role or state by an admin, or a restore of a
backup ends the session at the user's next click; a session left idle longer than the ``idle_timeout_minutes``
setting is signed out. Only this module puts an ``Actor`` into session state; identity never comes from query
parameters, which a user controls.

A password sign-in also starts a server-side session (store/sessions.py) whose random token the browser keeps in
a cookie (ui/session_cookie.py), so a reload or a typed URL, which start a new Streamlit session, resume it
within the idle timeout. That record is what each rerun checks; signing out deletes it and clears the cookie.

An actor without a ``user_id`` can only have been placed in session state by code (tests, scripts): it has no
account to re-read, so it is taken as it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAuthError

from accompaniment import settings
from accompaniment.access import PUBLIC, Actor
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import AccompanimentError
from accompaniment.store import sessions, users
from accompaniment.store.database import Store, utcnow
from accompaniment.store.secretariats import all_states
from accompaniment.ui import context, session_cookie
from accompaniment.ui.context import label, t
from accompaniment.ui.links import APPLIED_KEY as LINKS_APPLIED_KEY
from accompaniment.ui.widgets import HOME_STATE_KEY, escape_markdown

DISPLAY_NAME_KEY = "display_name"
STATE_NAME_KEY = "home_state_name"
LAST_ACTIVITY_KEY = "last_activity"
METHOD_KEY = "sign_in_method"  # "password" or "sso"
MUST_CHANGE_KEY = "must_change_password"
LAND_KEY = "land_on_home"  # set by a fresh sign-in: shell.run then opens the role's landing page
NOTICE_KEY = "auth_notice"
FORM_NOTICE_KEY = "auth_form_notice"
SSO_LOGOUT_KEY = "sso_logout_pending"
TOKEN_KEY = "session_token"  # the browser's session token (store/sessions.py), password sign-ins only
STAMP_KEY = "security_stamp"  # the account's security stamp when the session began
# Both outlive a sign-out: the cookie the page was opened with is considered once per Streamlit session (it stays
# in st.context.cookies, even after signing out), and a sign-out's run must still tell the browser to drop it.
COOKIE_READ_KEY = "session_cookie_read"
COOKIE_CLEAR_KEY = "session_cookie_clear"
# The link parameters already applied stay applied (ui/links.py): signing in does not re-open the URL's state
# over a secretariat's landing on its own.
_KEPT_KEYS = frozenset({context.LANG_KEY, COOKIE_READ_KEY, LINKS_APPLIED_KEY})

_USERNAME = "sign_in_username"
_PASSWORD = "sign_in_password"
_CURRENT = "change_password_current"
_NEW = "change_password_new"
_REPEAT = "change_password_repeat"

# A message for the next redraw: (st function name, catalogue key, params), or a typed error to show.
Notice = tuple[str, str, dict[str, Any]] | AccompanimentError


def now() -> datetime:
    """The clock idle sessions are measured by (naive UTC, like the store's); tests replace it."""
    return utcnow()


# ---- every rerun ---------------------------------------------------------------------------------------------------


def sign_in_panel(store: Store) -> Actor:
    """Check the session (idle timeout, the same account, still active), or take up the browser's cookie in a new
    Streamlit session; draw the sidebar's sign-in or signed-in box and return the acting user."""
    actor = _checked_session(store)
    sso_logging_out = st.session_state.pop(SSO_LOGOUT_KEY, False)  # set by a sign-out, this run or the last
    if sso_logging_out:
        st.logout()
    sso = sso_configured() and not sso_logging_out
    if actor.is_public and sso and st.user.get("is_logged_in"):
        actor = _sso_sign_in(store)
    with st.sidebar:
        _show(st.session_state.pop(NOTICE_KEY, None))
        if actor.is_public:
            _sign_in_form(sso)
        else:
            _signed_in_box(actor)
        _sync_cookie()
    return actor


def _idle_notice() -> Notice:
    return ("warning", "auth.idle_signed_out", {"minutes": int(settings.get("idle_timeout_minutes"))})


def _ended_notice(status: sessions.Status) -> Notice:
    """Why a session that was open is not any more (an unknown token was signed out in another tab, or cleared
    by a restore)."""
    if status == sessions.Status.EXPIRED:
        return _idle_notice()
    if status == sessions.Status.INACTIVE:
        return ("warning", "auth.account_inactive", {})
    return ("warning", "auth.session_ended", {})


def _checked_session(store: Store) -> Actor:
    actor = context.current_actor()
    if actor.is_public:
        return _resumed_from_cookie(store)
    current = now()
    token = st.session_state.get(TOKEN_KEY)
    if token is not None:  # the server's record decides, idle time included (shared by the browser's tabs)
        check = sessions.resume(store, token, now=current)
        if not check.valid:
            sign_out(_ended_notice(check.status), revoke=False)  # resume has forgotten the record already
            return PUBLIC
        fresh = check.account
    else:  # single sign-on, or an actor placed by code: the idle time is this session's own
        last = st.session_state.get(LAST_ACTIVITY_KEY)
        if last is not None and current - last > sessions.idle_timeout():
            sign_out(_idle_notice())
            return PUBLIC
        if actor.user_id is None:
            st.session_state[LAST_ACTIVITY_KEY] = current
            return actor
        fresh = users.current_account(store, actor.user_id)
        if fresh is None:
            sign_out(("warning", "auth.account_inactive", {}))
            return PUBLIC
        st.session_state.setdefault(STAMP_KEY, fresh.security_stamp)  # an actor placed by code had none
    if fresh.actor != actor or fresh.security_stamp != st.session_state.get(STAMP_KEY):
        sign_out(("warning", "auth.session_ended", {}))  # the id now names another account, or it changed
        return PUBLIC
    st.session_state[LAST_ACTIVITY_KEY] = current
    return actor


def _resumed_from_cookie(store: Store) -> Actor:
    """A new Streamlit session (a reload, a typed URL) takes up the browser's signed-in session, if it is valid."""
    if st.session_state.get(COOKIE_READ_KEY):
        return PUBLIC
    st.session_state[COOKIE_READ_KEY] = True
    token = session_cookie.sent_token()
    if token is None:
        return PUBLIC
    check = sessions.resume(store, token, now=now())
    if not check.valid:
        st.session_state[COOKIE_CLEAR_KEY] = True
        if check.status != sessions.Status.UNKNOWN:
            st.session_state[NOTICE_KEY] = _ended_notice(check.status)
        return PUBLIC
    _remember(store, check.account, "password", token=token, land=False)
    return check.account.actor


def _sync_cookie() -> None:
    """Tell the browser which token to hold: this session's, or none after a sign-out or a refused token."""
    token = st.session_state.get(TOKEN_KEY)
    if token is not None:
        session_cookie.keep(token)
    elif st.session_state.pop(COOKIE_CLEAR_KEY, False):
        session_cookie.clear()


def take_landing() -> bool:
    """Whether the user has just signed in (asked once per sign-in)."""
    return bool(st.session_state.pop(LAND_KEY, False))


def must_change_password() -> bool:
    return bool(st.session_state.get(MUST_CHANGE_KEY)) and not context.current_actor().is_public


# ---- signing in and out --------------------------------------------------------------------------------------------


def _sign_in_form(sso: bool) -> None:
    with st.form("sign_in", enter_to_submit=True):
        st.markdown(f"**{t('auth.heading')}**")
        st.text_input(t("auth.username"), key=_USERNAME, autocomplete="username")
        st.text_input(t("auth.password"), key=_PASSWORD, type="password", autocomplete="current-password")
        st.form_submit_button(t("auth.submit"), on_click=_submit_sign_in, type="primary")
    if sso and st.button(t("auth.sso.sign_in"), key="sso_sign_in"):
        try:
            st.login()
        except StreamlitAuthError:
            st.error(t("auth.sso.unavailable"))
    st.caption(t("auth.public_note"))


def _submit_sign_in() -> None:
    username = str(st.session_state.get(_USERNAME) or "").strip()
    password = str(st.session_state.get(_PASSWORD) or "")
    st.session_state[_PASSWORD] = ""  # never kept in the session longer than the check
    if not username or not password:
        st.session_state[NOTICE_KEY] = ("error", "auth.fill_both", {})
        return
    store = context.get_store()
    try:
        signed_in = users.authenticate(store, username, password)
    except AccompanimentError as exc:  # SignInFailed: one message whatever the account or its state
        st.session_state[NOTICE_KEY] = exc
        return
    _remember(store, signed_in, "password")


def _remember(
    store: Store, signed_in: users.SignedIn, method: str, token: str | None = None, land: bool = True
) -> None:
    """Start the signed-in session afresh: nothing chosen while anonymous carries over (a page's state picker, a
    half-filled form), so a secretariat's pages open on its own state.

    A password sign-in opens a server-side session for the browser's cookie; ``token`` is one the browser already
    holds (a reload), which does not land on the role's page again but stays on the page the URL names."""
    _forget_session()
    st.session_state[context.ACTOR_KEY] = signed_in.actor
    st.session_state[DISPLAY_NAME_KEY] = signed_in.display_name
    st.session_state[METHOD_KEY] = method
    st.session_state[MUST_CHANGE_KEY] = signed_in.must_change_password
    st.session_state[STAMP_KEY] = signed_in.security_stamp
    st.session_state[LAST_ACTIVITY_KEY] = now()
    st.session_state[LAND_KEY] = land
    if token is None and method == "password" and signed_in.actor.user_id is not None:
        token = sessions.start(store, signed_in, now=now())
    if token is not None:
        st.session_state[TOKEN_KEY] = token
    _remember_home(store, signed_in.actor)


def _remember_home(store: Store, actor: Actor) -> None:
    """A secretariat's own state: the Secretariado page opens on it."""
    if actor.role == Role.SECRETARIAT and actor.state_code:
        st.session_state[HOME_STATE_KEY] = actor.state_code
        names = all_states(store, PUBLIC).set_index("code")["name"]
        st.session_state[STATE_NAME_KEY] = str(names.get(actor.state_code, actor.state_code))
    else:
        st.session_state.pop(HOME_STATE_KEY, None)
        st.session_state.pop(STATE_NAME_KEY, None)


def sign_out(notice: Notice | None = ("success", "auth.signed_out", {}), revoke: bool = True) -> None:
    """Forget everything the session holds except its language; end the server-side session (the token opens
    nothing any more, in any tab or copy), have the browser drop its cookie, and end the identity provider's
    session too."""
    was_sso = st.session_state.get(METHOD_KEY) == "sso"
    token = st.session_state.get(TOKEN_KEY)
    if token is not None and revoke:
        sessions.end(context.get_store(), token)
    _forget_session()
    if token is not None:
        st.session_state[COOKIE_CLEAR_KEY] = True
    if was_sso:
        st.session_state[SSO_LOGOUT_KEY] = True
    if notice is not None:
        st.session_state[NOTICE_KEY] = notice


def _forget_session() -> None:
    """Drop every key but the language and whether the page's cookie was read (and Streamlit's own)."""
    for key in list(st.session_state.keys()):
        if key not in _KEPT_KEYS and not str(key).startswith("$$"):
            del st.session_state[key]


def _signed_in_box(actor: Actor) -> None:
    name = st.session_state.get(DISPLAY_NAME_KEY) or actor.username
    st.markdown(t("auth.signed_in_as", name=f"**{escape_markdown(name)}**"))
    st.caption(t("auth.role", role=label("Role", actor.role)))
    if actor.role == Role.SECRETARIAT:
        state_name = st.session_state.get(STATE_NAME_KEY) or actor.state_code
        st.caption(t("auth.state", state=escape_markdown(state_name)))
    st.button(t("auth.sign_out"), key="sign_out", on_click=sign_out, icon=":material/logout:")


def _show(notice: Notice | None) -> None:
    if notice is None:
        return
    if isinstance(notice, AccompanimentError):
        context.show_error(notice)
        return
    kind, key, params = notice
    getattr(st, kind)(t(key, **params))


# ---- single sign-on (Streamlit's built-in OIDC) -------------------------------------------------------------------


def sso_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` has an ``[auth]`` section, i.e. an OIDC provider is set up."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def _sso_sign_in(store: Store) -> Actor:
    """Map the identity provider's e-mail to an active local account, whose role applies; else no access."""
    email = str(st.user.get("email") or "")
    signed_in = users.actor_for_email(store, email) if email else None
    if signed_in is None:
        st.warning(t("auth.sso.no_access"))
        st.sidebar.button(
            t("auth.sign_out"), key="sso_sign_out", on_click=_sso_sign_out, icon=":material/logout:"
        )
        return PUBLIC
    _remember(store, signed_in, "sso")
    return signed_in.actor


def _sso_sign_out() -> None:
    st.session_state[SSO_LOGOUT_KEY] = True


# ---- a temporary password must be replaced ------------------------------------------------------------------------


def change_password_form() -> None:
    """In the main area, instead of the page: someone who signed in with a one-time password chooses their own."""
    st.subheader(t("auth.change_password.title"))
    st.write(t("auth.change_password.intro"))
    _show(st.session_state.pop(FORM_NOTICE_KEY, None))
    with st.form("change_password"):
        st.text_input(
            t("auth.change_password.current"), key=_CURRENT, type="password", autocomplete="current-password"
        )
        st.text_input(t("auth.change_password.new"), key=_NEW, type="password", autocomplete="new-password")
        st.text_input(
            t("auth.change_password.repeat"), key=_REPEAT, type="password", autocomplete="new-password"
        )
        st.form_submit_button(t("auth.change_password.submit"), on_click=_submit_change, type="primary")


def _submit_change() -> None:
    current, new, repeat = (str(st.session_state.get(k) or "") for k in (_CURRENT, _NEW, _REPEAT))
    for key in (_CURRENT, _NEW, _REPEAT):
        st.session_state[key] = ""
    if new != repeat:
        st.session_state[FORM_NOTICE_KEY] = ("error", "auth.change_password.mismatch", {})
        return
    store = context.get_store()
    try:
        changed = users.change_own_password(store, context.current_actor(), current, new)
    except users.SignInFailed:
        st.session_state[FORM_NOTICE_KEY] = ("error", "auth.change_password.wrong_current", {})
        return
    except AccompanimentError as exc:
        st.session_state[FORM_NOTICE_KEY] = exc
        return
    # The change ended every session of the account, this one too: carry on in a new one.
    old = st.session_state.pop(TOKEN_KEY, None)
    if old is not None:
        sessions.end(store, old)
        st.session_state[TOKEN_KEY] = sessions.start(store, changed, now=now())
    st.session_state[context.ACTOR_KEY] = changed.actor  # no longer bound to change its password
    st.session_state[STAMP_KEY] = changed.security_stamp
    st.session_state[MUST_CHANGE_KEY] = False
    st.session_state[NOTICE_KEY] = ("success", "auth.change_password.done", {})
