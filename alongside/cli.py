"""`alongside`: the management commands, without having to find manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["alongside", *sys.argv[1:]])


if __name__ == "__main__":
    main()
