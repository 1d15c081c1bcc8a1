"""Baseline for bench_app: the smallest page with the same interaction (a slider, then a new image)."""

import io

import streamlit as st
from PIL import Image

st.title("Baseline")
value = st.slider("learning rate h", 0.01, 2.0, 0.1, 0.01)
buf = io.BytesIO()
Image.new("RGB", (320, 160), (round(value * 100) * 37 % 256, 90, 160)).save(buf, format="PNG")
st.image(buf.getvalue())
