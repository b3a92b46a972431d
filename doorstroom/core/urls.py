from django.urls import path

from doorstroom.core import privacy_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_list, name="audit-list"),
    path("audit/export.<str:fmt>", privacy_views.access_log_export, name="audit-export"),
    path("audit/clients/<int:pk>/", privacy_views.dossier_log, name="audit-dossier"),
    path("audit/users/<int:pk>/", privacy_views.user_log, name="audit-user"),
    path("<slug:slug>/", views.area, name="area"),
]
