"""Home: what the app is and how to use it in a class."""

import streamlit as st

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
PAGES = [
    (
        "pages/phase.py",
        "Dirac-GAN phase portraits",
        ":material/cyclone:",
        "Vector field and training trajectories of the two-parameter Dirac-GAN for every loss, regularizer and "
        "optimizer; trajectory status; basin maps; the derived field and Jacobian; a compare mode with the six "
        "panels of Mescheder et al. (2018), Figure 3.",
    ),
    (
        "pages/stability.py",
        "Eigenvalues & stability",
        ":material/functions:",
        "Eigenvalues of the Jacobian (continuous time) and of the discrete update operator against the unit "
        "circle; spectral radius against the learning rate; eigenvalue paths against γ or σ.",
    ),
    (
        "pages/optimal.py",
        "Optimal discriminator",
        ":material/balance:",
        "Two 1-D densities (presets or your own specs), D*(x), KL/JS/TV/W1, and C(G) next to −log 4 + 2·JS; a "
        "movable logistic discriminator shows that D* maximizes V; Goodfellow et al. (2014), Figure 1.",
    ),
    (
        "pages/saturation.py",
        "Saturating vs non-saturating",
        ":material/speed:",
        "The two generator losses, their gradients, and the generator's gradient as D approaches D*.",
    ),
    (
        "pages/train1d.py",
        "1-D GAN training",
        ":material/show_chart:",
        "A small neural GAN trained live on a 1-D density (play / pause / step / reset): the Goodfellow et al. "
        "(2014) Figure 1 picture with the learned D against D*, and JS over training.",
    ),
    (
        "pages/mixtures.py",
        "2-D mixtures",
        ":material/scatter_plot:",
        "ring8 and grid25 trained live: the discriminator as a heat map, the samples, modes captured and the "
        "high-quality fraction over time.",
    ),
    (
        "pages/lipschitz.py",
        "LS-GAN vs WGAN",
        ":material/straighten:",
        "Lipschitz-constrained critics (the WGAN Kantorovich potential, Qi's LS-GAN bounds) and the gradient each "
        "gives the generator, for κ = 1, 3, 5, next to the classic GAN's vanishing gradient; a torch run with "
        "k = 1, 3, 5 discriminator steps per generator step.",
    ),
    (
        "pages/images.py",
        "Image GANs",
        ":material/image:",
        "DCGANs on 8×8 digits trained live on the CPU; runs trained headless (e.g. on a GPU) loaded from their run "
        "directories: sample grids, losses, gradient norms and Fréchet distance side by side, and conditional "
        "generation per class.",
    ),
]
for path, label, icon, text in PAGES:
    st.page_link(path, label=label, icon=icon)
    st.markdown(text)
st.markdown(
    """
**Using it in a class**

1. Set a page up the way you want students to start: every control's value is in the address bar.
2. Open *Share this view* at the bottom of the page: copy the link, or build a classroom link that
   **locks** (greys out) or **hides** chosen controls — e.g. `?lock=loss,reg` keeps everyone on the same
   objective while they explore the learning rate. `?lock=all` or `?hide=all` apply to every control.
3. Each page ends with **lab exercises**: a task, a question and an answer box. Answers are checked against
   values the core computes (with a stated tolerance); a hint is always available and the explanation appears
   once the answer is right.
4. Every figure has PNG and SVG downloads and its data as CSV or JSON, and a text summary of its key numbers
   underneath.

Colours are the Okabe–Ito colour-blind-safe palette, and every status also has its own line style and marker
(converged: solid line, circle; cycling: dashed, square; diverged: dotted, cross).
"""
)
