"""URLs of the reports area: dashboards, financing statements and the VDAB monitoring export."""

from django.urls import path

from doorstroom.reports import dashboard_views, financing_views

app_name = "monitoring"
urlpatterns: list = []

urlpatterns += [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/dossiers/", dashboard_views.dossiers, name="dashboard-dossiers"),
]

# Financing (R-FIN) and the VDAB monitoring export (R-FIN-4).
urlpatterns += [
    path("financing/", financing_views.statement, name="financing-statement"),
    path("financing/xlsx/", financing_views.statement_xlsx, name="financing-xlsx"),
    path("financing/issue/", financing_views.statement_issue, name="financing-issue"),
    path(
        "financing/trajectory/<int:pk>/",
        financing_views.trajectory_months,
        name="trajectory-financing",
    ),
    path("monitoring-export/", financing_views.monitoring_file, name="monitoring-export"),
]
