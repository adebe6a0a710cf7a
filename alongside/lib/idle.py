"""How often a signed-in session's expiry is pushed back, and how long the session store
keeps it, for an idle timeout of a given length (settings and the middleware share these).

Writing the session on every request would put a database write on every page, so
IdleTimeoutMiddleware rewrites it only when `refresh_seconds` have passed since it last
did. A request just before that leaves the stored expiry up to `refresh_seconds` short of
"idle time after this request", so the store keeps sessions `refresh_seconds` longer than
the idle time: an active user is never signed out before the idle time has passed since
their last request, and an idle one is signed out at most `refresh_seconds` after it.
"""


def refresh_seconds(idle_seconds: int) -> int:
    """A thirtieth of the idle time, from 1 second to 1 minute (1 minute at the default 30)."""
    return max(1, min(60, idle_seconds // 30))


def session_age(idle_seconds: int) -> int:
    """What SESSION_COOKIE_AGE must be for an idle timeout of `idle_seconds`."""
    return idle_seconds + refresh_seconds(idle_seconds)
