"""``trajectories`` (with their deadlines from the rules core), ``trajectories/{id}/stop`` and
``deadlines`` (the user's, across their caseload)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from doorstroom.api.base import ScopedViewSet
from doorstroom.core.params import as_id
from doorstroom.core.regulation import ruleset_on
from doorstroom.rules import clock
from doorstroom.rules.deadlines import Deadline
from doorstroom.trajectories import services
from doorstroom.trajectories.choices import StopReason
from doorstroom.trajectories.deadlines import deadlines_of, explain, snapshot
from doorstroom.trajectories.facts import PageFacts, page_facts
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import CaseloadFilters, caseload_for, with_clock


class DeadlineSerializer(serializers.Serializer):
    code = serializers.CharField()
    due_date = serializers.DateField()
    rule = serializers.CharField()
    severity = serializers.CharField()
    explanation = serializers.CharField()
    trajectory = serializers.IntegerField(required=False)


def deadline_data(deadline: Deadline, trajectory_id: int | None = None) -> dict[str, Any]:
    explained = explain(deadline)
    data: dict[str, Any] = {
        "code": deadline.code.value,
        "due_date": deadline.due,
        "rule": deadline.rule,
        "severity": deadline.severity.value,
        "explanation": explained.explanation,
    }
    if trajectory_id is not None:
        data["trajectory"] = trajectory_id
    return data


class TrajectorySerializer(serializers.ModelSerializer):
    referral_date = serializers.SerializerMethodField()
    start_date = serializers.DateField(source="start")
    planned_end_date = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = Trajectory
        fields = [
            "id",
            "kind",
            "client",
            "status",
            "phase",
            "referral_date",
            "start_date",
            "planned_end_date",
            "stopped_on",
            "stop_reason",
            "coach",
            "organisation",
            "version",
            "deadlines",
        ]

    def to_representation(self, instance: Trajectory) -> dict[str, Any]:
        # The clock's facts, built once for the planned end and the deadlines of this row: read
        # in bulk for a list's page (context "facts"), else from the prefetched children.
        page: PageFacts | None = self.context.get("facts")
        if page is None:
            self._facts, self._consents = snapshot(instance), None
        else:
            self._facts, self._consents = page.snapshots[instance.pk], page.consents[instance.pk]
        return super().to_representation(instance)

    def get_referral_date(self, obj: Trajectory) -> datetime.date | None:
        return obj.referral.referred_on if obj.referral else None

    def get_planned_end_date(self, obj: Trajectory) -> datetime.date:
        return clock.planned_end(self._facts, ruleset_on(obj.start))

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj: Trajectory) -> list[dict[str, Any]]:
        found = deadlines_of(obj, timezone.localdate(), self._facts, self._consents)
        return [deadline_data(d) for d in found]


class StopSerializer(serializers.Serializer):
    on = serializers.DateField()
    reason = serializers.ChoiceField(choices=StopReason.choices)
    motivation = serializers.CharField()
    version = serializers.IntegerField(min_value=1)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("kind", str),
            OpenApiParameter("client", int),
        ]
    )
)
class TrajectoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    model = Trajectory
    serializer_class = TrajectorySerializer

    def scoped(self, queryset: QuerySet[Trajectory]) -> QuerySet[Trajectory]:
        queryset = queryset.order_by("-start", "-pk")
        params = self.request.query_params
        for name in ("status", "kind"):
            if params.get(name):
                queryset = queryset.filter(**{name: params[name]})
        if (client_id := as_id(params.get("client"))) is not None:
            queryset = queryset.filter(client_id=client_id)
        if self.action == "list":
            return queryset  # list() reads the page's rows and facts itself
        return with_clock(queryset.select_related("referral"))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A page of trajectories in three steps (issue 11): the page's ids from the scope,
        the filters and the order on the trajectory table alone; those rows; and what their
        clocks read, in bulk as plain values (``page_facts``). The first step counts the list
        in the same query (``Pagination``)."""
        found = self.paginate_queryset(self.get_queryset().only("pk")) or []
        ids = [trajectory.pk for trajectory in found]
        # The ids come from visible_to(user) above (R-PRV-1).
        rows = Trajectory.objects.filter(pk__in=ids).select_related("referral").in_bulk()
        facts = page_facts(ids)
        page = [rows[pk] for pk in ids if pk in rows and pk in facts.snapshots]  # none deleted
        context = {**self.get_serializer_context(), "facts": facts}
        return self.get_paginated_response(
            self.get_serializer(page, many=True, context=context).data
        )

    @extend_schema(request=StopSerializer, responses=TrajectorySerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: str | None = None) -> Response:
        """Stop the trajectory (R-TRJ-4) through the same service as the app."""
        trajectory = self.get_object()
        data = StopSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.trajectory_stop(
            trajectory,
            on=data.validated_data["on"],
            reason=data.validated_data["reason"],
            motivation=data.validated_data["motivation"],
            expected_version=data.validated_data["version"],
            by=request.user,
        )
        fresh = self.get_queryset().get(pk=trajectory.pk)
        return Response(TrajectorySerializer(fresh).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("due_before", datetime.date),
            OpenApiParameter("code", str),
            OpenApiParameter("trajectory", int),
        ],
        responses=DeadlineSerializer(many=True),
    )
)
class DeadlineViewSet(mixins.ListModelMixin, ScopedViewSet):
    """The deadlines of the trajectories on the user's caseload, most urgent first."""

    model = Trajectory
    serializer_class = DeadlineSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = request.query_params
        trajectories = caseload_for(request.user, CaseloadFilters())
        if (trajectory_id := as_id(params.get("trajectory"))) is not None:
            trajectories = trajectories.filter(pk=trajectory_id)
        try:
            due_before = serializers.DateField(required=False, allow_null=True).run_validation(
                params.get("due_before") or None
            )
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"due_before": error.detail}) from error
        found = [
            (deadline, pk)
            for deadline, pk in caseload_deadlines(list(trajectories))
            if (not params.get("code") or deadline.code.value == params["code"])
            and (due_before is None or deadline.due < due_before)
        ]
        found.sort(key=lambda pair: (pair[0].due, pair[0].code.value, pair[1]))
        # Only the page's deadlines are explained (issue 11).
        page = self.paginate_queryset(found) or []
        rows = [deadline_data(deadline, pk) for deadline, pk in page]
        return self.get_paginated_response(DeadlineSerializer(rows, many=True).data)


def caseload_deadlines(trajectories: list[Trajectory]) -> list[tuple[Deadline, int]]:
    """Every deadline of ``trajectories`` with its trajectory's id, their facts read in bulk
    (``page_facts``, issue 11)."""
    today = timezone.localdate()
    facts = page_facts([t.pk for t in trajectories])
    return [
        (deadline, t.pk)
        for t in trajectories
        if t.pk in facts.snapshots
        for deadline in deadlines_of(t, today, facts.snapshots[t.pk], facts.consents[t.pk])
    ]


def register(router: Any) -> None:
    router.register("trajectories", TrajectoryViewSet, basename="trajectory")
    router.register("deadlines", DeadlineViewSet, basename="deadline")
