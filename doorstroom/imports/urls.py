from django.urls import path

from doorstroom.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("<int:pk>/run/", views.run_import, name="run"),
    path("example/<str:kind>.<str:fmt>", views.example, name="example"),
]
