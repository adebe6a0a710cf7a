"""Pages of a list by page number, for the pages that show "Next" only when there is one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def page_of(rows: QuerySet[M] | Sequence[M], page: int, size: int) -> tuple[list[M], bool]:
    """Page `page` (from 1) of `size` rows, and whether another page follows: one query,
    reading one row past the page to tell."""
    start = (page - 1) * size
    found = list(rows[start : start + size + 1])
    return found[:size], len(found) > size
