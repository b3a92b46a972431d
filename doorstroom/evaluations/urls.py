"""URLs of evaluations, the mentor's link page and 360° feedback."""

from django.urls import path

from doorstroom.evaluations import documents, views

app_name = "evaluations"
urlpatterns = [
    path("trajectory/<int:pk>/new/", views.evaluation_plan, name="plan"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/pdf/", documents.evaluation_pdf, name="evaluation-pdf"),
    path("<int:pk>/mentor-link/", views.mentor_link_send, name="mentor-link"),
    path("<int:pk>/cancel/", views.evaluation_cancel, name="cancel"),
    path("trajectory/<int:pk>/360/new/", views.round_open, name="round-open"),
    path("360/<int:pk>/", views.round_detail, name="round"),
    path("360/respondent/<int:pk>/resend/", views.respondent_resend, name="respondent-resend"),
    # Pages behind a secret link, without an account:
    path("m/<str:token>/", views.mentor, name="mentor"),
    path("f/<str:token>/", views.feedback, name="feedback"),
]
