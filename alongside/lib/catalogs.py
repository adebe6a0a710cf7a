"""The message catalogs: alongside/locale/<language>/LC_MESSAGES/django.po, each with its
compiled django.mo beside it. Both are committed, so a fresh machine serves translations
without GNU gettext's msgfmt; `./dev messages` compiles them here with polib (pure
Python, a test dependency), and a test fails when a .mo does not say what its .po says.
See "Translations" in docs/development.md.

    python -m alongside.lib.catalogs compile   # write each .mo that differs from its .po
    python -m alongside.lib.catalogs check     # list them, exit 1 if any
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# What a catalog says: each translated message by (context, text), and its plural rule.
Messages = dict[tuple[str | None, str], Any]


def catalogs(root: Path = LOCALE_DIR) -> list[Path]:
    return sorted(root.glob("*/LC_MESSAGES/*.po"))


def _messages(catalog: Any) -> Messages:
    said: Messages = {(None, ""): catalog.metadata.get("Plural-Forms", "")}
    for entry in catalog:
        # gettext leaves fuzzy (unchecked) and untranslated entries out of the .mo.
        translated = all(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr
        if entry.obsolete or "fuzzy" in entry.flags or not translated:
            continue
        key = (entry.msgctxt or None, entry.msgid)
        if entry.msgid_plural:
            said[key] = (entry.msgid_plural, tuple(sorted(entry.msgstr_plural.items())))
        else:
            said[key] = entry.msgstr
    return said


def stale(po: Path) -> str | None:
    """Why the .mo beside `po` does not match it, or None when it does."""
    mo = po.with_suffix(".mo")
    if not mo.exists():
        return f"{mo} is missing"
    theirs, ours = _messages(polib.pofile(str(po))), _messages(polib.mofile(str(mo)))
    if theirs != ours:
        differ = sorted(
            (k for k in theirs.keys() | ours.keys() if theirs.get(k) != ours.get(k)),
            key=lambda k: (k[0] or "", k[1]),
        )
        shown = ", ".join(repr(text[:40]) for _context, text in differ[:5])
        return f"{mo} differs from {po.name} in {len(differ)} message(s): {shown}"
    return None


def compile_catalogs(root: Path = LOCALE_DIR) -> list[Path]:
    """Write each .mo that differs from its .po; the ones written."""
    written = []
    for po in catalogs(root):
        if stale(po):
            polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))
            written.append(po.with_suffix(".mo"))
    return written


def main(argv: list[str]) -> int:
    if argv[1:] == ["compile"]:
        for mo in compile_catalogs():
            print(f"compiled {mo}")
        return 0
    if argv[1:] == ["check"]:
        problems = [problem for po in catalogs() if (problem := stale(po))]
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
