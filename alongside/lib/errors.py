"""Errors services raise for views and the API to turn into clear answers."""


class StaleVersion(Exception):
    """Someone else saved this record since it was read; refuse rather than overwrite."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            f"This record changed since you opened it (now version {current_version})."
        )
        self.current_version = current_version


class NotPermitted(Exception):
    """The actor can see the record but may not make this change."""
