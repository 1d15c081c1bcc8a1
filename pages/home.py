"""Home: what the app is and how to use it in a class."""

import streamlit as st

from dynamics.dirac.status import status_key
from ui.navigation import PAGES, ensure_router

ensure_router()
st.title("GAN Dynamics Lab")
st.markdown(
    """
An interactive simulator of how GANs train. Every number on these pages comes from the project's core
(`dynamics/`): objectives are written once in sympy, and their vector fields, Jacobians, eigenvalues and
trajectories are derived from that one definition — the same code behind the command line
(`python -m dynamics.phase`).

**Pages**
"""
)
for page in PAGES:
    st.page_link(page.script, label=page.title, icon=page.icon)
    st.markdown(page.blurb)
st.markdown(
    """
**Using it in a class**

1. Set a page up the way you want students to start: every control's value is in the address bar.
2. Open *Share this view* at the bottom of the page: copy the link, or build a classroom link that
   **locks** (greys out) or **hides** chosen controls — e.g. `?lock=loss,reg` keeps everyone on the same
   objective while they explore the learning rate. `?lock=all` or `?hide=all` apply to every control. A page
   opened from such a link keeps it for the visit, and exercises that need a held control are left out. Locks
   guide a class; they are not access control (a student can edit the link).
3. Each page ends with **lab exercises**: a task, a question and an answer box. Answers are checked against
   values the core computes (with a stated tolerance); a hint is always available and the explanation appears
   once the answer is right.
4. Every figure has PNG and SVG downloads and its data as CSV or JSON, and a text summary of its key numbers
   underneath.
"""
)
st.markdown(
    "Colours are the Okabe–Ito colour-blind-safe palette, and every trajectory status also has its own line "
    f"style and marker ({status_key()})."
)
