"""One way of writing dates and times, by language: pages use the project's named formats
(alongside/formats: `|date`, `|date:"DATETIME_FORMAT"`, `|time`) and `|ago`, never a
format string of their own, so "22 Nov 1965", "Nov 22, 1965" and ISO timestamps cannot
creep back in side by side."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone, translation

import alongside
from alongside.lib.when import ago

ROOT = Path(alongside.__file__).parent
NAMED = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "TIME_FORMAT",
    "c",  # the exact instant for machines: <time datetime="...">
}
FORMAT_ARGUMENT = re.compile(r"""\|(date|time):\s*(["'])(.*?)\2""")
# Python that writes a date for people with a format of its own.
HAND_WRITTEN = re.compile(
    r"""strftime\(|dateformat\.format\(|date_format\([^)]*,\s*["'](?!\w+_FORMAT)"""
)
# Modules whose output is for machines or the command line, not pages.
NOT_PAGES = (
    "/migrations/",
    "/management/commands/",
    "/tests/",
    "normalize.py",
    "fellegi_sunter.py",
)


def templates() -> list[Path]:
    return sorted(ROOT.glob("**/templates/**/*.html")) + sorted(ROOT.glob("**/templates/**/*.txt"))


def test_the_scan_finds_templates() -> None:
    assert len(templates()) > 50


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_use_only_the_named_formats(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ad_hoc = [m.group(0) for m in FORMAT_ARGUMENT.finditer(text) if m.group(3) not in NAMED]
    assert not ad_hoc, f'{path}: use |date, |date:"DATETIME_FORMAT" or |time, not {ad_hoc}'
    assert "|timesince" not in text, f"{path}: use |ago (it says “just now”)"


def test_python_writes_no_dates_for_pages_by_hand() -> None:
    found = []
    for path in sorted(ROOT.glob("**/*.py")):
        if any(part in str(path) for part in NOT_PAGES):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HAND_WRITTEN.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "Use django.utils.formats with the named formats:\n" + "\n".join(found)


def test_the_scan_catches_a_format_string() -> None:
    found = FORMAT_ARGUMENT.search('{{ d|date:"M j, Y" }}')
    assert found is not None and found.group(3) not in NAMED
    assert HAND_WRITTEN.search('label = when.strftime("%b %d")')
    assert HAND_WRITTEN.search('date_format(value, "M j, Y")')
    assert not HAND_WRITTEN.search('date_format(value, "DATETIME_FORMAT")')


def test_it_says_just_now_then_the_largest_unit() -> None:
    now = timezone.now()
    with translation.override("en"):
        assert ago(now - dt.timedelta(seconds=20), now) == "just now"
        assert ago(now + dt.timedelta(seconds=5), now) == "just now"
        assert ago(now - dt.timedelta(minutes=1), now) == "1\xa0minute ago"
        assert ago(now - dt.timedelta(days=5, hours=3), now) == "5\xa0days ago"
    assert ago(None) == ""
