"""The message catalogs are committed compiled, so a fresh machine needs no GNU gettext;
these tests fail when a .mo no longer says what its .po says."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.utils import translation

from alongside.lib import catalogs


def test_it_ships_every_catalog_compiled_as_its_po_says() -> None:
    found = catalogs.catalogs()
    assert [po.parent.parent.name for po in found] == ["es"]
    for po in found:
        assert catalogs.stale(po) is None, "run ./dev messages --compile"


def test_it_serves_the_committed_spanish() -> None:
    with translation.override("es"):
        assert translation.gettext("Save and go on") == "Guardar y seguir"
        said = translation.pgettext("switch to this language", "View in English")
        assert said == "Ver en español"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the Spanish catalog, compiled, to change."""
    source = catalogs.LOCALE_DIR / "es" / "LC_MESSAGES"
    target = tmp_path / "es" / "LC_MESSAGES"
    shutil.copytree(source, target)
    return target / "django.po"


def test_it_notices_a_translation_changed_after_compiling(copy: Path) -> None:
    catalog = polib.pofile(str(copy))
    catalog.find("Save and go on").msgstr = "Guardar y continuar"
    catalog.save()
    assert "differs from django.po in 1 message(s): 'Save and go on'" in (
        catalogs.stale(copy) or ""
    )
    assert catalogs.compile_catalogs(copy.parent.parent.parent) == [copy.with_suffix(".mo")]
    assert catalogs.stale(copy) is None
    compiled = polib.mofile(str(copy.with_suffix(".mo")))
    assert compiled.find("Save and go on").msgstr == "Guardar y continuar"


def test_it_notices_a_new_message_and_a_missing_mo(copy: Path) -> None:
    catalog = polib.pofile(str(copy))
    catalog.append(polib.POEntry(msgid="A new sentence.", msgstr="Una frase nueva."))
    catalog.save()
    assert "'A new sentence.'" in (catalogs.stale(copy) or "")
    copy.with_suffix(".mo").unlink()
    assert "is missing" in (catalogs.stale(copy) or "")


def test_an_entry_not_yet_translated_or_unchecked_needs_no_compiling(copy: Path) -> None:
    catalog = polib.pofile(str(copy))
    catalog.append(polib.POEntry(msgid="Not translated yet.", msgstr=""))
    catalog.append(polib.POEntry(msgid="Unchecked.", msgstr="Sin revisar.", flags=["fuzzy"]))
    catalog.save()
    assert catalogs.stale(copy) is None  # gettext would leave both out of the .mo too
