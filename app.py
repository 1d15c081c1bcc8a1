"""GAN Dynamics Lab — Streamlit entry point (the pages arrive with the app issue)."""

import streamlit as st

st.set_page_config(page_title="GAN Dynamics Lab", layout="wide")
st.title("GAN Dynamics Lab")
st.write("The pages are on their way. Meanwhile: `python -m dynamics.phase --help`.")
