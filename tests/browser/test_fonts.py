"""People's names and languages are written in many scripts; the browser tests (and a
fresh machine set up by `./dev test`) have fonts for the ones the demo uses, so pages
show them rather than empty boxes. The page's font stack (web/static/alongside/app.css)
falls back to these after the platform's own faces."""

from __future__ import annotations

import subprocess

import pytest

SCRIPTS = {"ko": "Korean", "zh": "Chinese", "ar": "Arabic"}


@pytest.mark.parametrize("language", sorted(SCRIPTS))
def test_a_font_covers_the_script(language: str) -> None:
    command = ["fc-list", f":lang={language}", "family"]  # fontconfig, beside chromium
    found = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    assert found.strip(), f"no font for {language}: ./dev test installs Debian's Noto fonts"


def test_the_page_declares_a_font_stack_with_those_scripts() -> None:
    from django.contrib.staticfiles import finders

    with open(str(finders.find("alongside/app.css")), encoding="utf-8") as css:
        stack = css.read()
    for face in ("Noto Sans CJK KR", "Noto Sans CJK SC", "Noto Sans Arabic"):
        assert f'"{face}"' in stack
