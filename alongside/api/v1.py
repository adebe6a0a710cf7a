"""The versioned JSON API at /api/v1/ (OpenAPI document at /api/v1/openapi.json, browsable
docs at /api/v1/docs). See docs/api.md."""

from alongside.api import errors
from alongside.api.auth import bearer_token, session
from alongside.api.encounters import router as encounters_router
from alongside.api.openapi import DescribedApi
from alongside.api.people import router as people_router
from alongside.api.plan_writes import router as plans_router  # the reads' router, with writes
from alongside.api.scheduling import router as scheduling_router
from alongside.api.screenings import router as screenings_router
from alongside.api.tasks import router as tasks_router
from alongside.api.timeline import router as timeline_router

api = DescribedApi(
    title="Alongside API",
    version="1",
    description=(
        "Person-centered case management. Authenticate with `Authorization: Bearer <token>` "
        "(see `alongside create_api_token`) or a signed-in session with a CSRF token. "
        'Every change needs the version you read: `If-Match: "3"` (the ETag you read) or, '
        "on PATCH and PUT, a `version` field; without it the answer is 428. Errors have one "
        'shape: `{"error": {"code", "message", "fields"}}`, listed under each operation.'
    ),
    urls_namespace="api-v1",
    auth=[bearer_token, session],
    parser=errors.JsonBodyParser(),
)
errors.install(api)
api.add_router("/", people_router)
api.add_router("/", screenings_router)
api.add_router("/", tasks_router)
api.add_router("/", encounters_router)
api.add_router("/", timeline_router)
api.add_router("/", plans_router)
api.add_router("/", scheduling_router)
