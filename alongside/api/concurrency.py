"""Optimistic concurrency: every representation carries its `version` and an
`ETag: "<version>"`; every change must say which version it was based on, in an
`If-Match` header or a `version` field. A stale one is refused with 409 by the service;
a missing one with 428, so no client overwrites a colleague's edit by accident."""

from __future__ import annotations

import re

from django.http import HttpRequest

from alongside.api.errors import ApiError, invalid

# "3", W/"3" or a bare 3: a version from 1 up, at most 19 digits (the OpenAPI document
# gives this pattern for If-Match, so what it allows and what the server reads agree).
IF_MATCH = re.compile(r'^\s*(?:W/)?"?0*([1-9][0-9]{0,18})"?\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str) -> int:
    match = IF_MATCH.match(value)
    if match is None:
        raise invalid("If-Match", 'Send the version you read as an ETag, such as "3".')
    return int(match.group(1))


def expected_version(request: HttpRequest, body_version: int | None) -> int:
    """The version the client read, from If-Match or the body's `version`."""
    header = request.headers.get("If-Match")
    if header is None:
        if body_version is None:
            raise ApiError(
                428,
                "Say which version you are changing: send If-Match with the ETag you read, "
                "or a version field.",
            )
        return body_version
    version = parse_if_match(header)
    if body_version is not None and body_version != version:
        raise invalid("version", "The version field and the If-Match header disagree.")
    return version
