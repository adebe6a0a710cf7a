"""Dependencies point one way (docs/development.md): each layer imports only from the
layers below it. The contract lives in pyproject.toml; `./dev lint` runs the same check."""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter.cli import lint_imports


def test_every_import_points_down_the_layers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    assert lint_imports(no_cache=True) == 0, "an import points up a layer: run lint-imports"
