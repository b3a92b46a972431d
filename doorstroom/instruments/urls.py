"""URLs of the instruments app: kinds and limits, uses, proeftuin try-outs and their catalogue."""

from django.urls import path

from doorstroom.instruments import views

app_name = "instruments"

urlpatterns = [
    path("", views.kind_list, name="kinds"),
    path("trajectory/<int:pk>/new/", views.use_create, name="use_create"),
    path("trajectory/<int:pk>/tryout/", views.tryout_start, name="tryout_start"),
    path("uses/<int:pk>/edit/", views.use_edit, name="use_edit"),
    path("uses/<int:pk>/reflection/<str:moment>/", views.tryout_reflect, name="tryout_reflect"),
    path("tryouts/", views.offer_list, name="offer_list"),
    path("tryouts/new/", views.offer_create, name="offer_create"),
    path("tryouts/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
]
