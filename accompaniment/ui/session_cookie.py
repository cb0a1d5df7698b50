"""The browser's session cookie: read from the request that opened the page, written by a few lines of script.

A reload or a typed URL starts a new Streamlit session, whose only memory of the browser is what the browser sends
with it. ``st.context.cookies`` reads the cookies of the request that opened the page's connection; Streamlit
has no call that sets one, so a ``st.components.v2`` component with inline JavaScript (no iframe, nothing fetched
from a network, no third-party code) sets or clears it from the data it is given. The token reaches the browser
inside the app's own websocket message and is written straight into ``document.cookie``: it is never part of the
page's markup or text, nor of a URL.

The cookie is ``SameSite=Strict`` (no other site's request carries it), ``Path=/`` (the connection's endpoint
lives under the app's root), ``Secure`` when the page is served over https, and has no expiry date, so the browser
drops it when it closes; the server decides how long it is honoured (store/sessions.py). Being set by script, it
cannot be ``HttpOnly``: the app renders no unsafe HTML from user text, which is what would let a script read it.
"""

from __future__ import annotations

import streamlit as st

COOKIE_NAME = "accompaniment_session"
_KEY = "session_cookie_writer"

_JS = """
export default function ({ data }) {
  if (!data || !data.name) return;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  const tail = "; Path=/; SameSite=Strict" + secure;
  if (data.value) {
    document.cookie = data.name + "=" + data.value + tail;
  } else {
    document.cookie = data.name + "=; Max-Age=0" + tail;
  }
}
"""

_writer = st.components.v2.component("accompaniment.session_cookie", js=_JS)


def sent_token() -> str | None:
    """The token the browser sent when this page was opened (None without one). User input: check it."""
    value = st.context.cookies.get(COOKIE_NAME)
    return value if isinstance(value, str) and value else None  # AppTest's stand-in client sends no cookies


def keep(token: str) -> None:
    """Have the browser hold ``token`` (idempotent: drawn on every run of a signed-in session, so a run cut short
    after a sign-in cannot leave the browser without it)."""
    _writer(key=_KEY, data={"name": COOKIE_NAME, "value": token})


def clear() -> None:
    """Have the browser forget its token (after a sign-out, or when the server refused it)."""
    _writer(key=_KEY, data={"name": COOKIE_NAME, "value": ""})
