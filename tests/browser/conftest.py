"""Browser tests: real Chromium (Debian's, never a downloaded one) driven by Playwright's
sync API against pytest-django's `live_server`.

Every page a test visits is checked with axe-core; serious or critical violations fail the
test. Content-Security-Policy violations, JavaScript errors and server errors (5xx) seen by
the browser fail it too. A test that navigates somewhere and forgets to check it fails at
teardown, so "every page visited" stays true as tests grow.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told this is deliberate. The ORM calls in these tests
# (fixtures, assertions) are synchronous and never run concurrently with the loop's tasks.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import threading  # noqa: E402

from axe_playwright_python.base import AXE_SCRIPT  # noqa: E402  (its bundled axe.min.js)
from django.core.servers.basehttp import ThreadedWSGIServer  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


class OneRequestAtATimeOnSQLite(ThreadedWSGIServer):
    """The live server, answering one request at a time when the test database is
    SQLite's in-memory one: Django then shares a single connection between the server's
    threads, and two requests using it at once (a page's htmx check while a form posts)
    can hang both. Connections are still accepted on threads, so an idle socket Chromium
    opens ahead of time blocks nothing. On PostgreSQL each thread has its own connection
    and requests run concurrently, as in production."""

    serial = threading.Lock()

    def set_app(self, application: Any) -> None:
        if connection.vendor != "sqlite":
            super().set_app(application)
            return

        def one_at_a_time(environ: Any, start_response: Any) -> Any:
            with self.serial:
                response = application(environ, start_response)
                # Read the body and close the response (Django's request_finished) inside
                # the lock too: a streamed response may still query.
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeOnSQLite

CHROMIUM = os.environ.get("ALONGSIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
BLOCKING_IMPACTS = ("serious", "critical")
TIMEOUT_MS = 10_000

AXE_RUN = "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One headless Chromium for the whole session; each test gets its own context."""
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (set ALONGSIDE_CHROMIUM)")
    # `launch` always starts Chromium with a brand-new temporary profile (user-data dir),
    # deleted on close. Playwright's driver (and Chromium, which inherits its environment)
    # creates it under TMPDIR, so point that at a fresh pytest directory for the session.
    profile_parent = tmp_path_factory.mktemp("chromium-profile")
    saved_tmpdir = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(profile_parent)
    try:
        playwright = sync_playwright().start()
    finally:
        if saved_tmpdir is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_tmpdir
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} serious/critical violation(s) on {url}:"]
    for v in violations:
        lines.append(f"\n  [{v['impact']}] {v['id']}: {v['help']}\n    {v['helpUrl']}")
        for node in v["nodes"][:10]:
            lines.append(f"    - {', '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n        ")
            if summary:
                lines.append(f"        {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


_CLIENT_ERROR = re.compile(
    r"Failed to load resource: the server responded with a status of 4\d\d\b"
)


# The first element in document order that Tab can reach, ignoring hidden ones.
_FIRST_TABBABLE = """() => {
  const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]),'
    + ' select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(selector)) {
    if (el.tabIndex < 0 || !el.getClientRects().length) continue;
    return el.matches('a.skip-link[href="#main"]') ? 'skip-link' : el.outerHTML.slice(0, 200);
  }
  return 'nothing focusable';
}"""


def _bare(url: str) -> str:
    return urldefrag(url)[0]


class Browsing:
    """A page plus the bookkeeping that every browser test shares."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.visited: list[str] = []
        self.checked: set[str] = set()
        self.problems: list[str] = []
        page.on("framenavigated", self._on_navigated)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        page.on("response", self._on_response)

    def _on_navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame and frame.url.startswith(self.base_url):
            self.visited.append(_bare(frame.url))

    def _on_console(self, message: Any) -> None:
        # A page answered with a 4xx (a refused form, a lockout) is logged as a failed
        # resource; that is the tests' business. Anything else (CSP, scripts) is a problem.
        if message.type == "error" and not _CLIENT_ERROR.match(message.text):
            self.problems.append(f"console error: {message.text}")

    def _on_response(self, response: Any) -> None:
        if response.status >= 500:
            self.problems.append(f"server error {response.status} for {response.url}")
        elif response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(
                f"{response.status} for {response.request.resource_type} {response.url}"
            )

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> None:
        self.page.goto(self.url(path))
        self.check()

    def check(self) -> None:
        """Audit the page as it is now: axe-core, plus any CSP/JS/server errors so far."""
        self.page.wait_for_load_state("load")
        violations = self.page.evaluate(AXE_RUN)
        blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        self.checked.add(_bare(self.page.url))
        first = self.page.evaluate(_FIRST_TABBABLE)
        assert first == "skip-link", (
            f"The first focusable element on {self.page.url} should be the skip link: {first}"
        )
        assert not blocking, format_violations(self.page.url, blocking)
        assert not self.problems, "The browser reported problems:\n" + "\n".join(self.problems)

    def sign_in(self, user: Any) -> None:
        """A signed-in session without the form (the sign-in tests cover the form)."""
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": self.base_url}]
        )

    def unchecked(self) -> list[str]:
        return [url for url in dict.fromkeys(self.visited) if url not in self.checked]


@pytest.fixture
def browsing(chromium: Browser, live_server: Any) -> Iterator[Browsing]:
    context = chromium.new_context(
        locale="en-US", timezone_id="America/New_York", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    # axe-core is added to every document through the DevTools protocol, which the pages'
    # Content-Security-Policy (script-src 'self') does not apply to.
    context.add_init_script(script=AXE_SCRIPT)
    page = context.new_page()
    session = Browsing(page, live_server.url)
    try:
        yield session
        missed = session.unchecked()
        assert not missed, f"Pages visited but never checked with axe-core: {missed}"
        assert not session.problems, "The browser reported problems:\n" + "\n".join(
            session.problems
        )
    finally:
        context.close()


@pytest.fixture
def page(browsing: Browsing) -> Page:
    return browsing.page
