"""The app's map: one table of pages (script, URL path, title, icon, blurb) for app.py's router and the home
page, and the one guard that deep links on a fresh server need."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Page:
    """One page of the app: `pages/<path>.py` served at `/<path>`."""

    path: str
    title: str
    icon: str
    blurb: str

    @property
    def script(self) -> str:
        return f"pages/{self.path}.py"


HOME = Page("home", "Home", ":material/home:", "What the app is and how to use it in a class.")
PAGES = (
    Page(
        "phase",
        "Dirac-GAN phase portraits",
        ":material/cyclone:",
        "Vector field and training trajectories of the two-parameter Dirac-GAN for every loss, regularizer "
        "and optimizer; trajectory status; basin maps; the derived field and Jacobian; a compare mode with "
        "the six panels of Mescheder et al. (2018), Figure 3.",
    ),
    Page(
        "stability",
        "Eigenvalues & stability",
        ":material/functions:",
        "Eigenvalues of the Jacobian (continuous time) and of the discrete update operator against the unit "
        "circle; spectral radius against the learning rate; eigenvalue paths against γ or σ.",
    ),
    Page(
        "optimal",
        "Optimal discriminator",
        ":material/balance:",
        "Two 1-D densities (presets or your own specs), D*(x), KL/JS/TV/W1, and C(G) next to −log 4 + 2·JS; a "
        "movable logistic discriminator shows that D* maximizes V; Goodfellow et al. (2014), Figure 1.",
    ),
    Page(
        "saturation",
        "Saturating vs non-saturating",
        ":material/speed:",
        "The two generator losses, their gradients, and the generator's gradient as D approaches D*.",
    ),
    Page(
        "train1d",
        "1-D GAN training",
        ":material/show_chart:",
        "A small neural GAN trained live on a 1-D density (play / pause / step / reset): the Goodfellow et "
        "al. (2014) Figure 1 picture with the learned D against D*, and JS over training.",
    ),
    Page(
        "mixtures",
        "2-D mixtures",
        ":material/scatter_plot:",
        "ring8 and grid25 trained live: the discriminator as a heat map, the samples, modes captured and the "
        "high-quality fraction over time.",
    ),
    Page(
        "lipschitz",
        "LS-GAN vs WGAN",
        ":material/straighten:",
        "Lipschitz-constrained critics (the WGAN Kantorovich potential, Qi's LS-GAN bounds) and the gradient "
        "each gives the generator, for κ = 1, 3, 5, next to the classic GAN's vanishing gradient; a torch run "
        "with k = 1, 3, 5 discriminator steps per generator step.",
    ),
    Page(
        "images",
        "Image GANs",
        ":material/image:",
        "DCGANs on 8×8 digits trained live on the CPU; runs trained headless (e.g. on a GPU) loaded from "
        "their run directories: sample grids, losses, gradient norms and Fréchet distance side by side, and "
        "conditional generation per class.",
    ),
)


def navigation() -> None:
    """Route to the page the URL names (app.py); the home page is served at /."""
    pages = [st.Page(p.script, title=p.title, icon=p.icon, url_path=p.path, default=p is HOME) for p in (HOME, *PAGES)]
    st.navigation(pages).run()


_router_checked = False


def ensure_router() -> None:
    """Run app.py's router even when a fresh server's first request is a deep link such as /phase.

    A folder named pages/ next to app.py makes Streamlit start in its older multipage mode (every file of the
    folder listed, app.py's st.navigation skipped) until st.navigation has run once in the server process; a
    first visit to /phase would run pages/phase.py alone. Streamlit has no setting for this, and the folder
    keeps its name (it is the product's layout), so each page calls this first: the mode flag that
    st.navigation itself clears is cleared, and the run starts again through app.py. Once per process: the
    flag stays cleared in a server (AppTest sets it anew for every run, and a rerun there would drop clicks).
    """
    global _router_checked
    from streamlit.runtime.pages_manager import PagesManager

    if not _router_checked:
        _router_checked = True
        if PagesManager.uses_pages_directory:
            PagesManager.uses_pages_directory = False
            st.rerun()
