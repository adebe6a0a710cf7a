"""Dependencies point one way (docs/development.md): the foundation's models, services,
selectors and rules (`lib`, `audit`, `accounts`, `organizations`, `people`) know nothing
of the apps built on them. Pages are where apps meet, so views and URL modules may."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "alongside"
FOUNDATION = ("lib", "audit", "accounts", "organizations", "people")
ABOVE = ("intake", "matching", "api", "web", "demo")
PAGES = ("views.py", "urls.py")
# Known exceptions, each with why it is left.
ALLOWED = {
    # Signing in marks the session as seen for the idle timeout, which web owns.
    "accounts/signals.py": {"alongside.web.middleware"},
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_foundation_imports_nothing_built_on_it() -> None:
    wrong = []
    for app in FOUNDATION:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative or path.name in PAGES:
                continue
            for module in _imports(path) - ALLOWED.get(relative, set()):
                if module.split(".")[:2] in [["alongside", above] for above in ABOVE]:
                    wrong.append(f"{relative} imports {module}")
    assert not wrong, "\n".join(wrong)
