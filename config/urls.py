from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

urlpatterns = [
    # One login page for everyone, also for the administration.
    path(
        "beheer/login/",
        login_not_required(
            RedirectView.as_view(url=reverse_lazy("accounts:login"), query_string=True)
        ),
    ),
    path("beheer/", admin.site.urls),
    path("account/", include("doorstroom.accounts.urls")),
    path("", include("doorstroom.core.urls")),
]
