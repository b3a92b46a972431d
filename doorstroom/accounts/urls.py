from django.contrib.auth import views as auth_views
from django.urls import path

from doorstroom.accounts import security_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="language"),
    path("profile/", views.profile, name="profile"),
    path("two-factor/", security_views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/verify/", security_views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/off/", security_views.two_factor_disable, name="two-factor-disable"),
    path(
        "two-factor/recovery-codes/",
        security_views.two_factor_recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path("sessions/<int:pk>/end/", security_views.session_end, name="session-end"),
    path("sessions/end-others/", security_views.sessions_end_others, name="sessions-end-others"),
    path("sessions/ping/", security_views.session_ping, name="session-ping"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
]
