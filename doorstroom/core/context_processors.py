from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from doorstroom.core.navigation import AREAS, area_url, extra_links


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: the site name and the navigation."""
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "brand_name": settings.DOORSTROOM_SITE_NAME,
        "nav_areas": [(a, area_url(a)) for a in AREAS] if authenticated else (),
        "nav_extra": extra_links(user) if authenticated else [],
    }
