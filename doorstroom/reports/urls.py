"""URLs of the end of a trajectory (outflow, follow-ups, aftercare, ICF, end report)."""

from django.urls import path

from doorstroom.reports import views

app_name = "reports"
urlpatterns = [
    path("trajectory/<int:pk>/", views.end, name="end"),
    path("trajectory/<int:pk>/outflow/", views.outflow, name="outflow"),
    path("trajectory/<int:pk>/follow-up/", views.followup, name="followup"),
    path("trajectory/<int:pk>/aftercare/", views.aftercare_plan, name="aftercare-plan"),
    path("aftercare/<int:pk>/", views.aftercare_record, name="aftercare-record"),
    path("trajectory/<int:pk>/icf/", views.icf_rate, name="icf-rate"),
    path("trajectory/<int:pk>/end-report/", views.end_report_open, name="end-report-open"),
    path("end-report/<int:pk>/", views.end_report, name="end-report"),
    path("end-report/<int:pk>/json/", views.end_report_json, name="end-report-json"),
    path("end-report/<int:pk>/pdf/", views.end_report_pdf, name="end-report-pdf"),
    path("trajectory/<int:pk>/close/", views.close, name="close"),
]
