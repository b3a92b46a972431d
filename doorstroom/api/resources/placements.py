"""``placements`` (start, on-the-job ``followups``, ``end``) and ``clients/{id}/matches``.

Starting a placement goes through the same service as the app: the agreements (R-PLC-1), the
half-time floor and build-up (R-PLC-3), capacity and overlap; a refusal is a 400 naming the
field. Ending one needs the placement's version (409 when stale).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from doorstroom.api.base import (
    ReadOnlyScopedViewSet,
    ScopedViewSet,
    VisibleField,
    VisibleTrajectoryField,
    day_field,
    fields_renamed,
    id_param,
    version_field,
)
from doorstroom.api.resources.employers import MunicipalityRefSerializer, WorkplaceRefSerializer
from doorstroom.clients.models import Client
from doorstroom.core.audit import audit
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.employers import explain
from doorstroom.employers import services as employer_services
from doorstroom.employers.models import (
    EmployerContact,
    Placement,
    PlacementEndReason,
    PlacementFollowUp,
    PlacementKind,
    RegimeStep,
    Workplace,
)
from doorstroom.employers.selectors import matches_for_client
from doorstroom.rules.matching import ComponentCode, Match

# --- Placements --------------------------------------------------------------------------


class MentorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerContact
        fields = ["id", "name"]


class RegimeStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegimeStep
        fields = ["start", "regime"]


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlacementFollowUp
        fields = ["id", "on", "by", "mentor_present", "notes"]


class PlacementSerializer(serializers.ModelSerializer):
    client = serializers.IntegerField(source="trajectory.client_id")
    workplace = WorkplaceRefSerializer()
    mentor = MentorRefSerializer(allow_null=True)
    regime_steps = RegimeStepSerializer(
        many=True, help_text="From each step's start the placement runs at its regime (R-PLC-3)."
    )
    followups = FollowUpSerializer(many=True, help_text="On-the-job follow-ups (R-TRJ-8).")

    class Meta:
        model = Placement
        fields = [
            "id",
            "trajectory",
            "client",
            "workplace",
            "mentor",
            "kind",
            "start",
            "planned_end",
            "end",
            "end_reason",
            "end_note",
            "regime_steps",
            "followups",
            "created_at",
            "version",
        ]


class PlacementFilters(serializers.Serializer):
    trajectory = id_param()


class VisibleWorkplaceField(VisibleField):
    model = Workplace


class VisibleContactField(VisibleField):
    model = EmployerContact


class RegimeStepInputSerializer(serializers.Serializer):
    start = day_field()
    regime = serializers.DecimalField(
        max_digits=3, decimal_places=2, help_text="Share of full time: at least 0.50 (R-PLC-3)."
    )


class PlacementStartSerializer(serializers.Serializer):
    """Place the client at a workplace (R-PLC-1, R-PLC-3)."""

    trajectory = VisibleTrajectoryField()
    workplace = VisibleWorkplaceField()
    kind = serializers.ChoiceField(choices=PlacementKind.choices)
    start = day_field()
    planned_end = day_field(required=False, allow_null=True, default=None)
    mentor = VisibleContactField(
        required=False, allow_null=True, default=None, help_text="A mentor of the employer."
    )
    regime_steps = RegimeStepInputSerializer(
        many=True,
        help_text="The regime from each step's start; the first step starts on the start. "
        "At least half-time, building up if needed (R-PLC-3).",
    )
    version = version_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="The trajectory's version you read; when sent, a stale one is 409.",
    )


class FollowUpInputSerializer(serializers.Serializer):
    on = day_field(help_text="The day of the visit.")
    mentor_present = serializers.BooleanField(help_text="The mentor took part.")
    notes = serializers.CharField(allow_blank=True, help_text="What you saw and agreed.")


class PlacementEndSerializer(serializers.Serializer):
    end = day_field(help_text="The last day.")
    reason = serializers.ChoiceField(choices=PlacementEndReason.choices)
    note = serializers.CharField(
        allow_blank=True, required=False, default="", help_text="Required for 'other'."
    )
    version = version_field(help_text="The placement's version you read.")


# The app's form names the start's regime "regime".
PLACEMENT_FIELDS_RENAMED = {"regime": "regime_steps"}


@extend_schema_view(
    list=extend_schema(parameters=[PlacementFilters]),
    create=extend_schema(
        description="Start a placement through the same service as the app: refused without "
        "the agreements (R-PLC-1), below half-time (R-PLC-3), on a full workplace or "
        "overlapping another placement.",
        request=PlacementStartSerializer,
        responses={status.HTTP_201_CREATED: PlacementSerializer},
    ),
)
class PlacementViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Placements of the trajectories the caller may see, with regime steps and follow-ups."""

    model = Placement
    serializer_class = PlacementSerializer
    filter_class = PlacementFilters

    def get_serializer_class(self) -> Any:
        serializer = {
            "create": PlacementStartSerializer,
            "followups": FollowUpInputSerializer,
            "end": PlacementEndSerializer,
        }.get(self.action or "")
        return serializer or super().get_serializer_class()

    def _fresh(self, placement: Placement) -> dict[str, Any]:
        return PlacementSerializer(self.get_queryset().get(pk=placement.pk)).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PlacementStartSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with fields_renamed(PLACEMENT_FIELDS_RENAMED):
            placement = employer_services.placement_start(
                values["trajectory"],
                values["workplace"],
                kind=values["kind"],
                start=values["start"],
                planned_end=values["planned_end"],
                mentor=values["mentor"],
                regime_steps=[(step["start"], step["regime"]) for step in values["regime_steps"]],
                expected_version=values["version"],
                by=request.user,
            )
        return Response(self._fresh(placement), status=status.HTTP_201_CREATED)

    @extend_schema(
        description="Record an on-the-job follow-up (R-TRJ-8) through the same service as the app.",
        request=FollowUpInputSerializer,
        responses={status.HTTP_201_CREATED: FollowUpSerializer},
    )
    @action(detail=True, methods=["post"])
    def followups(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        data = FollowUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        followup = employer_services.followup_add(placement, by=request.user, **data.validated_data)
        return Response(FollowUpSerializer(followup).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        description="End the placement with a reason (rotation, outflow, …); send the "
        "placement's version (409 when stale). The history stays.",
        request=PlacementEndSerializer,
        responses=PlacementSerializer,
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        data = PlacementEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        employer_services.placement_end(
            placement,
            end=values["end"],
            reason=values["reason"],
            note=values["note"],
            expected_version=values["version"],
            by=request.user,
        )
        return Response(self._fresh(placement))

    def scoped(self, queryset: QuerySet[Placement]) -> QuerySet[Placement]:
        queryset = (
            queryset.select_related("trajectory", "workplace__employer", "mentor")
            .prefetch_related("regime_steps", "followups")
            .order_by("-start", "-pk")
        )
        filters = self.filters()
        if "trajectory" in filters:
            queryset = queryset.filter(trajectory_id=filters["trajectory"])
        return queryset


# --- Matches (R-PLC-5) -------------------------------------------------------------------


class MatchComponentSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[(c.value, c.value) for c in ComponentCode])
    label = serializers.CharField()
    score = serializers.DecimalField(
        max_digits=4, decimal_places=3, allow_null=True, help_text="0..1; null: not scored."
    )
    weight = serializers.DecimalField(max_digits=9, decimal_places=3)
    explanation = serializers.CharField()


class MatchWorkplaceSerializer(WorkplaceRefSerializer):
    municipality = MunicipalityRefSerializer(allow_null=True)

    class Meta(WorkplaceRefSerializer.Meta):
        fields = [*WorkplaceRefSerializer.Meta.fields, "municipality"]


class MatchSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="1 for the best match.")
    workplace = MatchWorkplaceSerializer()
    score = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        help_text="Σ(weight × component) / Σ(weight) over the scored components.",
    )
    components = MatchComponentSerializer(many=True)


def match_data(rank: int, match: Match, workplace: Workplace) -> dict[str, Any]:
    rows = explain.component_rows(match.components)
    return {
        "rank": rank,
        "workplace": workplace,
        "score": match.score,
        "components": [
            {
                "code": component.code.value,
                "label": row.label,
                "score": component.score,
                "weight": component.weight,
                "explanation": row.text,
            }
            for component, row in zip(match.components, rows, strict=True)
        ],
    }


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("client_pk", int, OpenApiParameter.PATH)],
        responses=MatchSerializer(many=True),
    )
)
class ClientMatchViewSet(mixins.ListModelMixin, ScopedViewSet):
    """The workplaces the caller may see, ranked for one client, each score explained (R-PLC-5).

    Workplaces a hard constraint excludes are left out; the rank counts over all matches.
    """

    model = Client
    serializer_class = MatchSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        client = get_for_user_or_404(
            Client.objects.visible_to(user), user, pk=self.kwargs["client_pk"]
        )
        found = matches_for_client(user, client, timezone.localdate(), limit=0, excluded_limit=0)
        ranked = list(enumerate(found.result.matches, start=1))
        page = self.paginate_queryset(ranked) or []
        workplaces = {
            str(w.pk): w
            for w in Workplace.objects.visible_to(user)
            .filter(pk__in=[int(m.workplace_id) for _rank, m in page])
            .select_related("employer", "municipality")
        }
        rows = [
            match_data(rank, match, workplaces[match.workplace_id])
            for rank, match in page
            if match.workplace_id in workplaces
        ]
        audit(user, "employers.matching.client", client)
        return self.get_paginated_response(MatchSerializer(rows, many=True).data)


# --- Routes ------------------------------------------------------------------------------


def register(router: Any) -> None:
    router.register("placements", PlacementViewSet, basename="placement")
    router.register(
        r"clients/(?P<client_pk>[^/.]+)/matches", ClientMatchViewSet, basename="client-matches"
    )
