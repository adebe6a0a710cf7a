import os
import subprocess
import sys


def test_it_fronts_the_management_commands():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alongside.settings"}
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "alongside", "help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    for command in ("demo", "migrate", "createsuperuser", "audit_verify"):
        assert command in result.stdout


def test_it_passes_the_deployment_checklist_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alongside.settings",
        "SECRET_KEY": "k3y-" + "x7Q9" * 16,
        "ALLOWED_HOSTS": "care.example.org",
        "ALONGSIDE_VAR_DIR": str(tmp_path),
        "DEBUG": "false",
        "AUDIT_ANCHOR_KEY": "anchor-" + "m4Vq" * 12,
    }
    env.pop("SECURE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "alongside", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
