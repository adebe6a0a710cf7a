"""Text the system must keep whatever it holds: a provider's webhook may carry a NUL
character or an unpaired surrogate, which no database stores, and must not lose a
message over one character. Pages refuse such text with a 400 instead
(web.middleware.UnstorableTextMiddleware); a view marked `reads_raw_text` is left to
make its text `storable` itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

View = TypeVar("View", bound=Callable[..., Any])


def storable(text: str) -> str:
    """`text` without NUL characters and unpaired surrogates."""
    text = text.replace("\x00", "")
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "ignore")


def reads_raw_text(view: View) -> View:
    """Marks a view whose text the unstorable-text check leaves alone (see above)."""
    view.reads_raw_text = True  # type: ignore[attr-defined]
    return view


def keeps_raw_text(view: Any) -> bool:
    return bool(getattr(view, "reads_raw_text", False))
