from django.urls import path

from doorstroom.employers import documents, views

app_name = "employers"

urlpatterns = [
    path("", views.employer_list, name="list"),
    path("export.<str:fmt>", views.employer_export, name="export"),
    path("workplaces/export.<str:fmt>", views.workplace_export, name="workplaces-export"),
    path("new/", views.employer_create, name="create"),
    path("<int:pk>/", views.employer_detail, name="detail"),
    path("<int:pk>/edit/", views.employer_edit, name="edit"),
    path("<int:pk>/contacts/new/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/replace/", views.contact_replace, name="contact_replace"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/deactivate/", views.mentor_deactivate, name="mentor_deactivate"),
    path("<int:pk>/agreements/new/", views.agreement_add, name="agreement_add"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement_document"),
    path("agreements/<int:pk>/pdf/", documents.agreement_pdf, name="agreement-pdf"),
    path("<int:pk>/workplaces/new/", views.workplace_create, name="workplace_create"),
    path("workplaces/<int:pk>/", views.workplace_detail, name="workplace"),
    path("workplaces/<int:pk>/edit/", views.workplace_edit, name="workplace_edit"),
    path("workplaces/<int:pk>/reviewed/", views.workplace_review, name="workplace_review"),
    path("workplaces/<int:pk>/matches/", views.workplace_matches, name="workplace_matches"),
    path("matches/client/<int:client_pk>/", views.client_matches, name="client_matches"),
    path("placements/new/<int:trajectory_pk>/", views.placement_start, name="placement_start"),
    path("placements/<int:pk>/follow-up/", views.placement_followup, name="placement_followup"),
    path("placements/<int:pk>/end/", views.placement_end, name="placement_end"),
    path("placements/<int:pk>/pdf/", documents.placement_pdf, name="placement-pdf"),
    path("placements/<int:pk>/regime/", views.placement_regime, name="placement_regime"),
    path("placements/<int:pk>/rotation/", views.rotation, name="rotation"),
]
