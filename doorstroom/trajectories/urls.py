from django.urls import path

from doorstroom.trajectories import views

app_name = "trajectories"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("caseload/export.<str:fmt>", views.caseload_export, name="caseload-export"),
    path("trajectories/start/<int:client_pk>/", views.start, name="start"),
    path("trajectories/<int:pk>/phase/", views.phase_change, name="phase"),
    path("trajectories/phases/<int:pk>/extend/", views.phase_extend, name="phase-extend"),
    path("trajectories/<int:pk>/suspend/", views.suspend, name="suspend"),
    path("trajectories/suspensions/<int:pk>/resume/", views.resume, name="resume"),
    path("trajectories/suspensions/<int:pk>/review/", views.review, name="review"),
    path("trajectories/<int:pk>/stop/", views.stop, name="stop"),
    path("trajectories/<int:pk>/handover/", views.handover, name="handover"),
    path("trajectories/<int:pk>/transfer/", views.transfer, name="transfer"),
    path("trajectories/<int:pk>/contract/", views.contract, name="contract"),
    path("trajectories/<int:pk>/contract/end/", views.contract_end, name="contract-end"),
    path("trajectories/<int:pk>/members/", views.member_add, name="member-add"),
]
