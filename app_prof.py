import time, os
_t0 = time.time()
import streamlit as st
if os.environ.get("NOCHART"):
    st.altair_chart = lambda *a, **k: None
if os.environ.get("NODF"):
    _table = st.table
    st.dataframe = lambda data, **k: _table(data, hide_index=True)
exec(open("/work/main/app.py").read())
with open("/tmp/app_times.txt", "a") as _f:
    _f.write(f"{_t0:.3f} {time.time():.3f}\n")
