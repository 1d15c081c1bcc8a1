"""Lab exercises: a task, a question and an answer box checked against a number the core computes."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st


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


def show(exercises: list[Exercise]) -> None:
    """All exercises of a page, each in its own expander with a Check button."""
    st.subheader("Lab exercises")
    for number, ex in enumerate(exercises, 1):
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
