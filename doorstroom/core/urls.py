from django.urls import path

from doorstroom.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_list, name="audit-list"),
    path("<slug:slug>/", views.area, name="area"),
]
