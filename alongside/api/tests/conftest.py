"""API test helpers: a token for each persona, and a client that sends JSON with it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from alongside.accounts.tokens import token_create
from alongside.intake.tests.conftest import instruments, screen  # noqa: F401 (shared fixtures)


@dataclass
class Api:
    """A test client speaking JSON, authenticated with one user's bearer token."""

    client: Client
    secret: str | None

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        base = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        return base | (headers or {})

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get("/api/v1" + path, params or {}, headers=self._headers(headers))

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | str | None = None,
        **headers: str,
    ) -> Any:
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return self.client.generic(
            method,
            "/api/v1" + path,
            data,
            content_type="application/json",
            headers=self._headers(headers),
        )

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.send("POST", path, body, **headers)

    def patch(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.send("PATCH", path, body, **headers)

    def put(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.send("PUT", path, body, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self.send("DELETE", path, **headers)


@pytest.fixture
def api_as(world: Any) -> Any:
    """`api_as(world.coordinator)`: an Api client with a fresh token for that user."""

    def make(user: Any) -> Api:
        _, secret = token_create(user=user, name="tests")
        return Api(Client(), secret)

    return make


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is a structured error with this status (and code)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "fields"}
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    if code is not None:
        assert error["code"] == code
    return error


@pytest.fixture
def clock(monkeypatch, settings):
    """The token cache turned on (it is off by default) with its clock moved by hand."""
    from alongside.accounts import tokens

    settings.API_TOKEN_CACHE_SECONDS = 5
    tokens.forget_tokens()
    now = [1000.0]
    monkeypatch.setattr(tokens, "clock", lambda: now[0])
    return now
