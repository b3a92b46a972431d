"""URLs of the kennisbank: documents, versions, downloads and templates filled from a dossier."""

from django.urls import path

from doorstroom.library import views

app_name = "library"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_create, name="create"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/versions/new/", views.version_add, name="version-add"),
    path("<int:pk>/versions/<int:number>/download/", views.version_download, name="download"),
    path("<int:pk>/fill/", views.template_fill, name="fill"),
    path("trajectory/<int:pk>/templates/", views.trajectory_templates, name="trajectory-templates"),
]
