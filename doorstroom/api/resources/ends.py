"""The end of a trajectory, under ``trajectories/{id}/``: ``outflow`` (R-END-2), its
``outflow-followups`` after 3, 6 and 12 months, and the ``end-reports`` (R-END-1) with the
facts from the dossier.

Writes go through the same services as the app: the outflow needs the trajectory's version
(409 when stale); a refusal is a 400 naming the field. Reading an end report is audited, as in
the app.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from doorstroom.api.base import ScopedViewSet, day_field, version_field
from doorstroom.api.resources.employers import VisibleEmployerField
from doorstroom.core.audit import audit
from doorstroom.core.params import as_id
from doorstroom.reports import services as report_services
from doorstroom.reports.models import ContractType, EndReport, Outflow, OutflowFollowUp
from doorstroom.trajectories.models import Trajectory


def _regime(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="Share of full time: 1 = full-time, 0.5 = half-time.",
        **kwargs,
    )


class OutflowSerializer(serializers.ModelSerializer):
    """Where the client went (R-END-2). A PUT records it, or corrects it, with the
    trajectory's ``version``; a job needs the employer (from the list or by name) and the
    contract type."""

    on = day_field(help_text="The day of the outflow.")
    employer = VisibleEmployerField(
        required=False, allow_null=True, default=None, help_text="An employer you may see."
    )
    employer_name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The employer when it is not in the list.",
    )
    contract_type = serializers.ChoiceField(
        choices=[("", "—"), *ContractType.choices], required=False, allow_blank=True, default=""
    )
    regime = _regime()
    details = serializers.CharField(required=False, allow_blank=True, default="")
    version = version_field(write_only=True, help_text="The trajectory's version you read.")

    class Meta:
        model = Outflow
        fields = [
            "on",
            "kind",
            "employer",
            "employer_name",
            "contract_type",
            "regime",
            "details",
            "recorded_by",
            "version",
        ]
        read_only_fields = ["recorded_by"]


class OutflowFollowUpSerializer(serializers.ModelSerializer):
    """The client's situation 3, 6 or 12 months after the trajectory's last day (R-END-2)."""

    months = serializers.IntegerField(help_text="3, 6 or 12: months after the end.")
    measured_on = day_field(help_text="After the trajectory's last day, not in the future.")
    at_work = serializers.BooleanField()
    same_employer = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Null: unknown."
    )
    regime = _regime()
    notes = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        model = OutflowFollowUp
        fields = [
            "id",
            "months",
            "measured_on",
            "at_work",
            "same_employer",
            "regime",
            "notes",
            "recorded_by",
        ]
        read_only_fields = ["id", "recorded_by"]


class EndReportSerializer(serializers.ModelSerializer):
    """An end report version (R-END-1): a draft, or final and locked."""

    class Meta:
        model = EndReport
        fields = [
            "id",
            "number",
            "status",
            "author",
            "created_at",
            "finalised_on",
            "finalised_by",
            "version",
        ]
        read_only_fields = fields


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": True,
        "description": "The facts from the dossier the report was drawn up from (as in the "
        "app's JSON export): trajectory, placements, competences, ICF profile, outflow, …",
    }
)
class FactsField(serializers.JSONField):
    pass


class EndReportDetailSerializer(EndReportSerializer):
    facts = FactsField(read_only=True)

    class Meta(EndReportSerializer.Meta):
        fields = [
            *EndReportSerializer.Meta.fields,
            "summary",
            "competences_reached",
            "motivation",
            "recommendation",
            "facts",
        ]
        read_only_fields = fields


END_REPORT_PK = OpenApiParameter(
    "end_report_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The end report's id."
)


class TrajectoryEndViewSet(ScopedViewSet):
    """The end of a trajectory, as routes under ``trajectories/{id}/``.

    Only detail actions, like the dossier parts: the trajectory comes from visible_to(user),
    so a trajectory out of scope is 404 on every route.
    """

    model = Trajectory
    serializer_class = OutflowSerializer

    def _outflow(self, trajectory: Trajectory) -> Outflow | None:
        return Outflow.objects.visible_to(self.request.user).filter(trajectory=trajectory).first()

    @extend_schema(
        methods=["GET"],
        description="Where the client went (R-END-2); 404 while none is recorded.",
        responses=OutflowSerializer,
    )
    @extend_schema(
        methods=["PUT"],
        description="Record (201) or correct (200) the outflow through the same service as "
        "the app; send the trajectory's version (409 when stale).",
        request=OutflowSerializer,
        responses={200: OutflowSerializer, 201: OutflowSerializer},
    )
    @action(detail=True, methods=["get", "put"])
    def outflow(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        existing = self._outflow(trajectory)
        if request.method == "PUT":
            data = OutflowSerializer(data=request.data, context={"request": request})
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            version = values.pop("version")
            outflow = report_services.outflow_record(
                trajectory, data=values, expected_version=version, by=request.user
            )
            code = status.HTTP_200_OK if existing else status.HTTP_201_CREATED
            return Response(OutflowSerializer(outflow).data, status=code)
        if existing is None:
            raise Http404
        return Response(OutflowSerializer(existing).data)

    @extend_schema(
        methods=["GET"],
        description="The follow-ups after the end (R-END-2), 3 months first.",
        responses=OutflowFollowUpSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        description="Record the follow-up after 3, 6 or 12 months through the same service as "
        "the app: measured after the trajectory's last day, once per moment.",
        request=OutflowFollowUpSerializer,
        responses={201: OutflowFollowUpSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="outflow-followups")
    def outflow_followups(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        if request.method == "POST":
            data = OutflowFollowUpSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            followup = report_services.followup_record(
                trajectory, by=request.user, **data.validated_data
            )
            return Response(
                OutflowFollowUpSerializer(followup).data, status=status.HTTP_201_CREATED
            )
        rows = OutflowFollowUp.objects.visible_to(request.user).filter(trajectory=trajectory)
        page = self.paginate_queryset(rows.order_by("months", "pk"))
        return self.get_paginated_response(OutflowFollowUpSerializer(page, many=True).data)

    @extend_schema(
        description="The end report's versions (R-END-1), newest first, without their texts.",
        responses=EndReportSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="end-reports")
    def end_reports(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        rows = EndReport.objects.visible_to(request.user).filter(trajectory=trajectory)
        page = self.paginate_queryset(rows.order_by("-number", "-pk"))
        return self.get_paginated_response(EndReportSerializer(page, many=True).data)

    @extend_schema(
        description="One end report version with its texts and the facts from the dossier "
        "(R-END-1). A dossier read: audited.",
        parameters=[END_REPORT_PK],
        responses=EndReportDetailSerializer,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"end-reports/(?P<end_report_pk>[^/.]+)",
        url_name="end-report",
    )
    def end_report(
        self, request: Request, pk: str | None = None, end_report_pk: str = ""
    ) -> Response:
        trajectory = self.get_object()
        if as_id(end_report_pk) is None:
            raise Http404
        report = (
            EndReport.objects.visible_to(request.user)
            .filter(trajectory=trajectory, pk=int(end_report_pk))
            .first()
        )
        if report is None:
            raise Http404
        audit(request.user, "reports.end_report.viewed", report, purpose="end report")
        return Response(EndReportDetailSerializer(report).data)


def register(router: Any) -> None:
    router.register("trajectories", TrajectoryEndViewSet, basename="trajectory-end")
