"""Lab exercises: a task, a question and an answer box checked against a number the core computes.

An exercise names the control values its task sets up (`needs`); on a class link that locks or hides one of them
at another value the task cannot be done, so the exercise is left out, with a line saying which and why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import streamlit as st

from ui import controls


@dataclass(frozen=True)
class Exercise:
    key: str
    task: str  # what to set up on the page (markdown)
    question: str
    answer: Callable[[], float]  # computed by the core, not typed in
    hint: str
    explanation: str  # shown after a correct answer
    rel_tol: float = 0.02
    abs_tol: float = 1e-6
    needs: Mapping[str, object] = field(default_factory=dict)  # control key → the value the task sets it to


def check(ex: Exercise, text: str) -> tuple[bool | None, str]:
    """(correct?, message); None when the text is not a number."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None, f"{text!r} is not a number; type a number such as 0.25."
    if not math.isfinite(value):
        return None, f"{text!r} is not a finite number."
    if math.isclose(value, ex.answer(), rel_tol=ex.rel_tol, abs_tol=ex.abs_tol):
        return True, f"Correct: {value:g}."
    return False, f"{value:g} is not right yet. Look at the hint, change the controls and try again."


def left_out_note(left_out: dict[int, list[str]]) -> str:
    """Which exercises a class link leaves out, and the controls they would have to change."""
    numbers = ", ".join(map(str, left_out))
    labels = ", ".join(dict.fromkeys(label for held in left_out.values() for label in held))
    which = (
        f"Exercise {numbers} is left out: it needs"
        if len(left_out) == 1
        else f"Exercises {numbers} are left out: they need"
    )
    return controls.plain(f"{which} {labels} changed, which this class link does not allow.")


def show(exercises: list[Exercise]) -> None:
    """The exercises of a page, each in its own expander with a Check button; those whose `needs` the class link
    holds at other values are left out (numbers kept, so the others keep theirs), with a note."""
    st.subheader("Lab exercises")
    left_out = {}
    for number, ex in enumerate(exercises, 1):
        held = controls.held_otherwise(ex.needs)
        if held:
            left_out[number] = held
            continue
        solved = st.session_state.get(f"solved_{ex.key}", False)
        with st.expander(f"Exercise {number}{' ✓' if solved else ''}: {ex.question}", expanded=not solved):
            st.markdown(ex.task)
            text = st.text_input("Your answer", key=f"answer_{ex.key}", placeholder="a number")
            if st.button("Check", key=f"check_{ex.key}") and text:
                ok, message = check(ex, text)
                st.session_state[f"solved_{ex.key}"] = bool(ok)
                (st.success if ok else st.error)(message)
                solved = bool(ok)
            if solved:
                st.info(ex.explanation)
            else:
                with st.popover("Hint"):
                    st.markdown(ex.hint)
    if left_out:
        st.caption(left_out_note(left_out))
