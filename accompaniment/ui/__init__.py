"""Streamlit glue: the only package besides pages/ and app.py that imports streamlit.

Importing it also switches off Streamlit's legacy discovery of the ``pages/`` folder for this process. Until
``st.navigation`` has run once, a fresh server serves a request for a page URL (``/admin``) by running that page
file alone, without app.py, with every page file listed in the sidebar. Pages check the role themselves and the
store enforces every rule, so nothing leaks; this makes the first such request the only one.
"""

from streamlit.runtime.pages_manager import PagesManager

PagesManager.uses_pages_directory = False
