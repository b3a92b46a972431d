from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from doorstroom.core import views as core_views

urlpatterns = [
    # One login page for everyone, also for the administration.
    path(
        "beheer/login/",
        login_not_required(
            RedirectView.as_view(url=reverse_lazy("accounts:login"), query_string=True)
        ),
    ),
    # Browsers ask for /favicon.ico on pages without our <link rel="icon"> (the admin's).
    path("favicon.ico", core_views.favicon),
    path(".well-known/security.txt", core_views.security_txt),
    path("beheer/", admin.site.urls),
    path("account/", include("doorstroom.accounts.urls")),
    path("clients/", include("doorstroom.clients.urls")),
    path("employers/", include("doorstroom.employers.urls")),
    path("plans/", include("doorstroom.plans.urls")),
    path("evaluations/", include("doorstroom.evaluations.urls")),
    path("instruments/", include("doorstroom.instruments.urls")),
    path("end/", include("doorstroom.reports.urls")),
    path("reports/", include("doorstroom.reports.monitoring_urls")),
    path("api/v1/", include("doorstroom.api.urls")),
    path("imports/", include("doorstroom.imports.urls")),
    path("library/", include("doorstroom.library.urls")),
    path("", include("doorstroom.trajectories.urls")),
    path("", include("doorstroom.core.urls")),
]
