"""GAN Dynamics Lab — `streamlit run app.py`. The router: one page per topic in pages/, listed in ui.navigation."""

import streamlit as st

from ui.charts import load_code
from ui.memory import freeze_after_imports
from ui.navigation import navigation

st.set_page_config(page_title="GAN Dynamics Lab", page_icon="🎛️", layout="wide")
load_code()  # the browser charts' code, once per run for all the page's charts
navigation()
freeze_after_imports()
