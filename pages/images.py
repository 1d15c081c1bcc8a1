"""Page 8: image GANs — small runs trained live on the CPU, and runs from their directories side by side."""

import streamlit as st

from models.data import IMAGES
from ui import charts, controls, exercises, export, live_charts, live_figures, runs, training

KEY = "images"
controls.start_page("images")
st.markdown(
    "DCGAN-style networks (Radford et al. 2015) on small image sets: scikit-learn's 8×8 **digits** train on the "
    "CPU in seconds; runs trained headless (`python -m models.train`, on a GPU for the 28×28 sets) are read back "
    "from their run directories below. Fréchet distance (FD) uses a small classifier trained on the same data "
    "set, not Inception: compare FDs within one data set only."
)

tab_live, tab_runs = st.tabs(["Train here", "Runs from a directory"])

with st.sidebar:
    data = controls.select("data", "Data (live run)", IMAGES, "digits")
    cfg = training.training_controls({"lr": 2e-4, "steps": 2000, "batch": 64}, batch="batch_images")
    conditional = controls.toggle("conditional", "conditional on the class (Mirza & Osindero 2014)")
    rounds = training.limited("tick", "rounds per update while playing", 50, "tick_images")
cfg["data"], cfg["conditional"] = data, conditional


def draw(s) -> None:
    m = s.latest[0]
    grid, title = live_figures.sample_grid(s)
    st.image(grid, caption=title, width=min(grid.shape[1], 480), clamp=True)
    training.show_run(
        s,
        "images-live",
        lambda: live_figures.image_figure(s),
        f"Round {s.trainer.step} of {s.cfg.steps}: FD = {m['fd']:.4g}, class coverage {m['coverage']:.2f} "
        f"(classifier test accuracy {m['classifier_accuracy']:.3f}).",
        {
            "images_history": live_charts.history_chart(
                s, "images_history", "fd", "FD (lower is better)", ("coverage", "class coverage"), include=(0.0,)
            )
        },
    )


with tab_live:
    s = training.session(KEY, cfg)
    if s is not None:
        training.buttons(KEY, s, rounds)
        training.run_live(KEY, s, draw, rounds)


DEFAULT = {"data": "digits", "loss": "gan", "reg": "none", "optimizer": "adam", "lr": 2e-4}
DEFAULT |= {"d_steps": 1, "batch": 64, "steps": 2000, "seed": 0}
with tab_live:
    exercises.show(
        [
            exercises.Exercise(
                "images_fd",
                "Defaults: digits, GAN, Adam 2e-4, batch 64, seed 0. Train 200 rounds (*Step 50* four times).",
                "What is the Fréchet distance after 200 rounds? (10 % tolerance)",
                lambda: training.metric_after(DEFAULT, 200, "fd"),
                "The summary under the sample grid gives FD.",
                "FD falls fast in the first hundreds of rounds as blobs turn into strokes; it compares Gaussian fits "
                "of classifier features, so it sees both sample quality and diversity (a collapsed generator has a "
                "small feature covariance and a large FD).",
                rel_tol=0.1,
                needs=DEFAULT | {"conditional": False},
            )
        ]
    )


with tab_runs:
    base = runs.root()
    st.caption(
        controls.plain(f"Run directories are read from {base}.")
        + " The server operator sets this directory (environment variable `GDL_RUNS` when starting the app; "
        "default `runs/` in the repository); the page cannot change it."
    )
    found, refused = runs.find(base)
    if refused:
        st.warning(
            controls.plain(
                f"Not read: {', '.join(map(repr, refused))} — each resolves outside the run-directory root "
                "(a symlink or '..' leading elsewhere)."
            )
        )
    if not found:
        st.info(
            controls.plain(f"No run directories (with config.json) under {base}.")
            + " Train one with `python -m models.train --out DIR/NAME`."
        )
    else:
        names = [p.name for p in found]
        picked = st.multiselect("runs to compare", names, default=names[: min(3, len(names))], key="_runs")
        chosen = {}
        for name, path in zip(names, found, strict=True):
            if name in picked:
                try:
                    chosen[name] = runs.read(path, base)
                except (OSError, ValueError, KeyError) as err:
                    st.warning(controls.plain(f"Run directory {str(path)!r} cannot be read ({err}); it is left out."))
        if chosen:
            columns = st.columns(len(chosen))
            for column, (name, r) in zip(columns, chosen.items(), strict=True):
                c = r["config"]
                column.markdown(f"**{name}**  \n{c['data']}, {c['loss']} + {c['reg']}, {c['optimizer']}")
                if r["picture"] is not None:
                    column.image(str(r["picture"]), caption=r["picture"].stem)
                column.caption(runs.metrics_text(r))
            charts.show_grid([c.to_json() for c in runs.compare_charts(chosen)], "runs_chart")
            st.caption("Last metrics: " + "; ".join(f"{n}: {runs.metrics_text(r)}" for n, r in chosen.items()) + ".")
            export.downloads(
                lambda: runs.compare_figure(chosen),
                "runs-compare",
                {"runs-compare-metrics.json": lambda: export.to_json({n: r["metrics"] for n, r in chosen.items()})},
            )
            conditional = [n for n, r in chosen.items() if r["config"].get("conditional")]
            if conditional:
                st.subheader("Conditional generation per class")
                run_name = st.selectbox("conditional run", conditional, key="_cond_run")
                label = st.slider("class", 0, 9, 0, key="_cond_class")
                path = found[names.index(run_name)]
                try:  # runs.inside refuses a checkpoint.pt that links outside the root (OutsideRoot, a ValueError)
                    grid = runs.per_class(path, label) if runs.inside(path / "checkpoint.pt", base).is_file() else None
                except (OSError, RuntimeError, KeyError, ValueError) as err:
                    st.warning(controls.plain(f"The checkpoint of {run_name!r} cannot be loaded ({err})."))
                else:
                    if grid is not None:
                        st.image(grid, caption=f"{run_name}: 16 samples of class {label}", width=240)

controls.share_box("images")
