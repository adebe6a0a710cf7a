"""Check the lock files for dependencies with known vulnerabilities (pip-audit).

    python .ci/audit_dependencies.py [requirements/base.txt requirements/test.txt]

Fails (exit 1) on a known vulnerability, or when pip-audit itself cannot run (a broken
lock file, pip-audit missing). When no advisory database can be reached it says so,
"vulnerability check skipped: advisory database unreachable", and passes: CI must not fail
for the network, nor pass silently as if everything had been checked.

Why the care: pip-audit's default service asks PyPI for each pinned version
(https://pypi.org/pypi/NAME/VERSION/json). Where that answers 404 for everything (a mirror
that serves only the package index, as on our development machines), pip-audit reports
every dependency as "not found on PyPI", prints "No known vulnerabilities found" and exits
0. Where there is no network it fails with a traceback. OSV (api.osv.dev) is tried when
PyPI's database is unreachable. The lock files are hashed, so `--require-hashes
--disable-pip` audits them without building an environment (a few seconds).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

LOCK_FILES = ["requirements/base.txt", "requirements/test.txt"]
SERVICES = ["pypi", "osv"]
TIMEOUT_SECONDS = 300
SKIPPED = "vulnerability check skipped: advisory database unreachable"
# What pip-audit and requests print when a service cannot be reached or answers badly.
NETWORK_SIGNS = (
    "ConnectionError",
    "ConnectTimeout",
    "ReadTimeout",
    "NameResolutionError",
    "Max retries exceeded",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ServiceError",
    "your network may be blocking",
    "Could not connect to PyPI",
)


@dataclass(frozen=True)
class Outcome:
    kind: str  # "clean", "vulnerable", "unreachable", "error"
    message: str

    @property
    def exit_code(self) -> int:
        return 1 if self.kind in ("vulnerable", "error") else 0


def classify(returncode: int | None, report: str | None, stderr: str) -> Outcome:
    """What one pip-audit run found. `returncode` None means it timed out; `report` is its
    JSON output (None when it wrote none)."""
    if returncode is None:
        return Outcome("unreachable", f"pip-audit took over {TIMEOUT_SECONDS} s")
    dependencies = None
    if report:
        try:
            dependencies = json.loads(report)["dependencies"]
        except (ValueError, KeyError, TypeError):
            dependencies = None
    if dependencies is None:
        if any(sign in stderr for sign in NETWORK_SIGNS):
            return Outcome("unreachable", _last_line(stderr))
        return Outcome("error", f"pip-audit failed (exit {returncode}): {_last_line(stderr)}")
    vulnerable = [d for d in dependencies if d.get("vulns")]
    if vulnerable:
        lines = [
            f"  {d['name']} {d.get('version', '')}: "
            + ", ".join(
                f"{v['id']} (fixed in {', '.join(v.get('fix_versions') or []) or 'no release yet'})"
                for v in d["vulns"]
            )
            for d in vulnerable
        ]
        count = sum(len(d["vulns"]) for d in vulnerable)
        return Outcome(
            "vulnerable",
            f"known vulnerabilities: {count} in {len(vulnerable)} packages\n" + "\n".join(lines),
        )
    skipped = [d for d in dependencies if "skip_reason" in d]
    checked = len(dependencies) - len(skipped)
    if checked == 0:
        reason = skipped[0]["skip_reason"] if skipped else "no dependencies were checked"
        return Outcome("unreachable", reason)
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        return Outcome(
            "clean",
            f"no known vulnerabilities in {checked} dependencies; "
            f"{len(skipped)} could not be checked: {names}",
        )
    return Outcome("clean", f"no known vulnerabilities in {checked} dependencies")


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no output"


def run(service: str, lock_files: list[str]) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "pip_audit", "--require-hashes", "--disable-pip"]
        for lock_file in lock_files:
            command += ["-r", lock_file]
        command += ["-s", service, "--format", "json", "-o", str(output)]
        command += ["--progress-spinner", "off", "--timeout", "30"]
        try:
            done = subprocess.run(  # noqa: S603 (our own fixed command)
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            return classify(None, None, "")
        report = output.read_text() if output.exists() else None
        return classify(done.returncode, report, done.stderr)


def main(argv: list[str]) -> int:
    lock_files = argv or LOCK_FILES
    outcome = Outcome("unreachable", "no service tried")
    for service in SERVICES:
        outcome = run(service, lock_files)
        if outcome.kind != "unreachable":
            break
        print(f"pip-audit ({service}): {outcome.message}", file=sys.stderr)
    if outcome.kind == "unreachable":
        print(f"{SKIPPED} (tried {', '.join(SERVICES)})")
    else:
        print(f"vulnerability check ({service}): {outcome.message}")
    return outcome.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
