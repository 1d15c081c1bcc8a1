"""The app's pages (run by app.py through st.navigation) and the helpers they share."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# A folder named pages/ makes Streamlit run a v1 multipage app (every file listed in the sidebar, app.py's
# st.navigation skipped) until st.navigation has run once in the server process. If the very first visit lands
# on a page directly, switch to app.py's navigation and rerun.
if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()
