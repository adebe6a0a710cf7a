"""How .ci/audit_dependencies.py reads pip-audit's results (no network: recorded output)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_dependencies.py"


@pytest.fixture(scope="module")
def audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _report(*dependencies: dict) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


DJANGO = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [
        {"id": "PYSEC-2025-47", "fix_versions": ["5.2.2"], "aliases": ["CVE-2025-48432"]},
        {"id": "GHSA-7xr5-9hcq-chf9", "fix_versions": [], "aliases": []},
    ],
}


def _not_found(name: str, version: str) -> dict:
    return {
        "name": name,
        "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} ({version})",
    }


def test_it_fails_on_a_known_vulnerability(audit):
    outcome = audit.classify(1, _report(VULNERABLE, DJANGO), "Found 2 known vulnerabilities")
    assert outcome.kind == "vulnerable" and outcome.exit_code == 1
    assert "PYSEC-2025-47 (fixed in 5.2.2)" in outcome.message
    assert "GHSA-7xr5-9hcq-chf9 (fixed in no release yet)" in outcome.message


def test_it_passes_when_every_dependency_was_checked_and_none_is_vulnerable(audit):
    outcome = audit.classify(0, _report(DJANGO, {**DJANGO, "name": "asgiref"}), "")
    assert (outcome.kind, outcome.exit_code) == ("clean", 0)
    assert outcome.message == "no known vulnerabilities in 2 dependencies"


def test_it_does_not_pass_silently_when_pypi_answers_404_for_everything(audit):
    """What pip-audit does where PyPI serves only the package index: exit 0 and "No known
    vulnerabilities found", having checked nothing."""
    report = _report(_not_found("django", "5.2.19"), _not_found("asgiref", "3.13.0"))
    outcome = audit.classify(0, report, "No known vulnerabilities found")
    assert (outcome.kind, outcome.exit_code) == ("unreachable", 0)


@pytest.mark.parametrize(
    "stderr",
    [
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', "
        "port=443): Max retries exceeded with url: /v1/query (Caused by NameResolutionError",
        "ERROR:pip_audit._cli:Could not connect to PyPI's vulnerability feed\n"
        "ERROR:pip_audit._cli:Tip: your network may be blocking this service.",
    ],
)
def test_it_reports_an_unreachable_service_without_failing(audit, stderr):
    outcome = audit.classify(1, None, stderr)
    assert (outcome.kind, outcome.exit_code) == ("unreachable", 0)


def test_it_reports_a_timeout_as_unreachable(audit):
    assert audit.classify(None, None, "").kind == "unreachable"


def test_it_fails_when_pip_audit_itself_cannot_run(audit):
    outcome = audit.classify(1, None, "ERROR:pip_audit._cli:invalid requirements input: x")
    assert (outcome.kind, outcome.exit_code) == ("error", 1)
    assert "invalid requirements input" in outcome.message
    assert audit.classify(1, None, "No module named pip_audit").exit_code == 1


def test_it_names_what_it_could_not_check_when_some_were_checked(audit):
    outcome = audit.classify(0, _report(DJANGO, _not_found("private-lib", "1.0")), "")
    assert outcome.kind == "clean" and "1 could not be checked: private-lib" in outcome.message


def test_it_says_clearly_that_the_check_was_skipped(audit, monkeypatch, capsys):
    unreachable = audit.Outcome("unreachable", "Failed to resolve 'api.osv.dev'")
    monkeypatch.setattr(audit, "run", lambda service, lock_files: unreachable)
    assert audit.main([]) == 0
    assert capsys.readouterr().out.startswith(
        "vulnerability check skipped: advisory database unreachable"
    )


def test_it_tries_osv_when_pypi_is_unreachable(audit, monkeypatch, capsys):
    outcomes = {
        "pypi": audit.Outcome("unreachable", "not found on PyPI"),
        "osv": audit.Outcome("vulnerable", "known vulnerabilities: 1 in 1 packages"),
    }
    monkeypatch.setattr(audit, "run", lambda service, lock_files: outcomes[service])
    assert audit.main([]) == 1
    assert "vulnerability check (osv): known vulnerabilities" in capsys.readouterr().out
