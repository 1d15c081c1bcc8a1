"""GAN Dynamics Lab — `streamlit run app.py`. The router: one page per topic, all in pages/."""

import streamlit as st

st.set_page_config(page_title="GAN Dynamics Lab", page_icon="🎛️", layout="wide")

PAGES = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", url_path="home", default=True),
    st.Page("pages/phase.py", title="Dirac-GAN phase portraits", icon=":material/cyclone:", url_path="phase"),
    st.Page("pages/stability.py", title="Eigenvalues & stability", icon=":material/functions:", url_path="stability"),
    st.Page("pages/optimal.py", title="Optimal discriminator", icon=":material/balance:", url_path="optimal"),
    st.Page(
        "pages/saturation.py", title="Saturating vs non-saturating", icon=":material/speed:", url_path="saturation"
    ),
    st.Page("pages/train1d.py", title="1-D GAN training", icon=":material/show_chart:", url_path="train1d"),
    st.Page("pages/mixtures.py", title="2-D mixtures", icon=":material/scatter_plot:", url_path="mixtures"),
    st.Page("pages/lipschitz.py", title="LS-GAN vs WGAN", icon=":material/straighten:", url_path="lipschitz"),
    st.Page("pages/images.py", title="Image GANs", icon=":material/image:", url_path="images"),
]

st.navigation(PAGES).run()
