"""REST API v1: every resource module registers its routes; the schema and the docs.

The API authenticates with personal tokens (not the session), so its views are exempt from
the login-required middleware; each still requires its own authentication and permissions.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from doorstroom.api.resources import RESOURCES

router = SimpleRouter()  # paths end in "/" (a path without it is redirected)
for register in RESOURCES:
    register(router)


def _public(pattern: Any) -> Any:
    pattern.callback = login_not_required(pattern.callback)
    return pattern


schema = SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[])
# The split view serves its start-up script as a file: no inline script (CSP).
docs = SpectacularSwaggerSplitView.as_view(
    url_name="api:schema", permission_classes=[AllowAny], authentication_classes=[]
)

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    *(_public(p) for p in router.urls),
    path("schema/", login_not_required(schema), name="schema"),
    path("docs/", login_not_required(docs), name="docs"),
]
