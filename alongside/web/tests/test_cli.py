import os
import subprocess
import sys


def test_it_fronts_the_management_commands():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alongside.settings"}
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "alongside", "help"], capture_output=True, text=True, env=env,
        check=True,
    )
    for command in ("demo", "migrate", "createsuperuser", "audit_verify"):
        assert command in result.stdout
