from ninja import NinjaAPI

api = NinjaAPI(title="Alongside API", version="1", urls_namespace="api-v1")
