from django.urls import path, register_converter

from doorstroom.clients import access_request, documents, views
from doorstroom.clients.tabs import TabConverter

register_converter(TabConverter, "tab")

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("export.<str:fmt>", views.client_export, name="export"),
    path("new/", views.client_create, name="create"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/dossier/<tab:tab>/", views.client_detail, name="tab"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/data-overview/pdf/", documents.overview_pdf, name="overview-pdf"),
    path("<int:pk>/access-request/", access_request.access_request, name="access-request"),
    path(
        "<int:pk>/access-request/json/",
        access_request.access_request_json,
        name="access-request-json",
    ),
    path(
        "<int:pk>/access-request/pdf/", access_request.access_request_pdf, name="access-request-pdf"
    ),
    path("<int:pk>/intake/", views.intake_create, name="intake-create"),
    path("intakes/<int:pk>/", views.intake_detail, name="intake"),
    path("<int:pk>/journal/", views.journal_create, name="journal-create"),
    path("<int:pk>/documents/", views.document_create, name="document-create"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("<int:pk>/consent/", views.consent_create, name="consent-create"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path("<int:pk>/protected/", views.protected, name="protected"),
    path("protected/<int:pk>/", views.protected_read, name="protected-read"),
    path("protected/access/<int:pk>/revoke/", views.protected_revoke, name="protected-revoke"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/new/", views.referral_create, name="referral-create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
]
