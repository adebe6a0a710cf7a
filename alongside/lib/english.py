"""Text stored as written (task history, plan and journey summaries, a message's
reason) is made in English, whoever writes it: it is read later by people choosing
other languages, and by the API, which speaks English."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.utils import translation

P = ParamSpec("P")
T = TypeVar("T")


def in_english(make: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`make(*args, **kwargs)` with English as the active language: its translated
    words (choice labels, messages) come out in English."""
    with translation.override("en"):
        return make(*args, **kwargs)
