from ninja import NinjaAPI

from townsquare.api import health, tokens, workspaces
from townsquare.api.auth import AUTH
from townsquare.api.errors import install_error_handlers

api = NinjaAPI(
    title="Townsquare API",
    version="1",
    description="Plan, adapt, publish, listen and measure. Errors are "
    '`{"error": {"code": ..., "message": ..., "details": ...}}`.',
    auth=AUTH,
    docs_url="/docs",
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("", health.router)
api.add_router("", workspaces.router)
api.add_router("", tokens.router)
api.add_router("", "townsquare.media.api.router")
api.add_router("", "townsquare.content.api.router")
api.add_router("", "townsquare.publishing.api.router")
api.add_router("", "townsquare.networks.api.router")
