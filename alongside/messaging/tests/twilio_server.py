"""A test gateway: a real HTTP server on 127.0.0.1 that speaks Twilio's Programmable
Messaging API as far as we use it (create a message), answers what Twilio answers, and
records every request, so tests see exactly what would have gone over the wire."""

from __future__ import annotations

import base64
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token"
FROM_NUMBER = "+15005550006"
INVALID_TO = "+15005550001"  # Twilio's test number for "not a valid phone number"


@dataclass
class Recorded:
    path: str
    account: str
    password: str
    form: dict[str, str]


@dataclass
class TwilioServer:
    url: str
    requests: list[Recorded] = field(default_factory=list)


def _handler(server_state: TwilioServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet in tests
            pass

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            auth = self.headers.get("Authorization", "")
            account, _, password = (
                base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
                if auth.startswith("Basic ")
                else ("", "", "")
            )
            server_state.requests.append(Recorded(self.path, account, password, form))
            expected = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
            if (account, password) != (ACCOUNT_SID, AUTH_TOKEN):
                self._answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
            elif self.path != expected:
                self._answer(404, {"code": 20404, "message": "Not found", "status": 404})
            elif form.get("To") == INVALID_TO:
                self._answer(
                    400,
                    {
                        "code": 21211,
                        "message": f"The 'To' number {INVALID_TO} is not a valid phone number.",
                        "more_info": "https://www.twilio.com/docs/errors/21211",
                        "status": 400,
                    },
                )
            else:
                sid = "SM" + uuid.uuid4().hex
                self._answer(
                    201,
                    {
                        "account_sid": ACCOUNT_SID,
                        "api_version": "2010-04-01",
                        "body": form.get("Body", ""),
                        "date_created": "Thu, 30 Jul 2015 20:12:31 +0000",
                        "direction": "outbound-api",
                        "error_code": None,
                        "error_message": None,
                        "from": form.get("From"),
                        "num_segments": "1",
                        "price": None,
                        "sid": sid,
                        "status": "queued",
                        "to": form.get("To"),
                        "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
                    },
                )

    return Handler


def start() -> tuple[ThreadingHTTPServer, TwilioServer]:
    state = TwilioServer(url="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, state
