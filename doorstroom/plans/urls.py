"""URLs of the POP."""

from django.urls import path

from doorstroom.plans import documents, views

app_name = "plans"
urlpatterns = [
    path("trajectory/<int:pk>/", views.plan_detail, name="detail"),
    path("trajectory/<int:pk>/new/", views.version_new, name="version-new"),
    path("trajectory/<int:pk>/client-link/", views.client_link, name="client-link"),
    path("version/<int:pk>/pdf/", documents.version_pdf, name="version-pdf"),
    # The client's own view, behind a personal link (no account):
    path("mine/<str:token>/", views.mine, name="mine"),
]
