"""``clients`` (with ``clients/{id}/intakes``) and the trajectory's dossier parts:
``trajectories/{id}/suspensions``, ``/phases``, ``/employment-contract`` and ``/financing``.

Every row comes from ``visible_to(user)`` (R-PRV-1): a client or trajectory out of scope is
404 on every route. Writes go through the same services as the app, with the version the
caller read (optimistic locking). The protected section (R-PRV-3) is never part of the API.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from doorstroom.accounts.models import Municipality
from doorstroom.api.base import ScopedViewSet, day_field, version_field
from doorstroom.clients import services as client_services
from doorstroom.clients.models import (
    AlternativeRoute,
    Barrier,
    BarrierCategory,
    Client,
    Intake,
    IntakeDecision,
    LearningPotential,
    Occupation,
    Severity,
    WorkDemand,
)
from doorstroom.clients.selectors import search_clients
from doorstroom.core.params import as_id, is_ascii_digits
from doorstroom.core.regulation import ruleset_on
from doorstroom.rules.financing import EffortStatus, MonthFinancing, monthly_financing
from doorstroom.trajectories import services as trajectory_services
from doorstroom.trajectories.choices import OrientationDecision, Phase
from doorstroom.trajectories.deadlines import contract_of, snapshot
from doorstroom.trajectories.models import (
    EmploymentContract,
    PhaseExtension,
    Suspension,
    Trajectory,
    TrajectoryPhase,
)
from doorstroom.trajectories.selectors import with_clock

# --- Clients ------------------------------------------------------------------------------


class ClientListSerializer(serializers.ModelSerializer):
    """A client in a list: no national number, no contact data, never the protected section."""

    max_regime = serializers.DecimalField(max_digits=3, decimal_places=2, read_only=True)

    class Meta:
        model = Client
        fields = [
            "id",
            "first_name",
            "last_name",
            "birth_date",
            "municipality",
            "dutch_level",
            "max_regime",
            "job_targets",
            "organisation",
            "version",
        ]
        read_only_fields = fields


class ClientSerializer(serializers.ModelSerializer):
    """A client's identity and contact data, as on the dossier page (never the protected
    section). Writing: the national number may be formatted (85.07.30-033.28); the
    municipality is only needed when several municipalities share the postcode."""

    national_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    postcode = serializers.CharField(min_length=4, max_length=4)
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    max_regime = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        required=False,
        help_text="Share of full time the client can work (0.50 = half-time).",
    )
    work_limitations = serializers.ListField(
        child=serializers.ChoiceField(choices=WorkDemand.choices), required=False
    )
    job_targets = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Occupation.objects.filter(is_active=True), required=False
    )

    class Meta:
        model = Client
        fields = [
            "id",
            "first_name",
            "last_name",
            "birth_date",
            "national_number",
            "street",
            "postcode",
            "municipality",
            "phone",
            "email",
            "languages",
            "dutch_level",
            "income",
            "vdab_registration_date",
            "driving_licence",
            "own_transport",
            "public_transport",
            "max_regime",
            "work_limitations",
            "job_targets",
            "organisation",
            "version",
        ]
        read_only_fields = ["id", "organisation", "version"]

    def validate_postcode(self, value: str) -> str:
        value = value.strip()
        if not is_ascii_digits(value):
            raise serializers.ValidationError(_("A Belgian postcode has 4 digits."))
        return value


class ClientCreateSerializer(ClientSerializer):
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text="Send true when a client with the same name and date of birth exists and "
        "this is another person.",
    )

    class Meta(ClientSerializer.Meta):
        fields = [*ClientSerializer.Meta.fields, "confirm_duplicate"]


class ClientUpdateSerializer(ClientSerializer):
    version = version_field(help_text="The version you read; required.")

    class Meta(ClientSerializer.Meta):
        read_only_fields = ["id", "organisation"]


class BarrierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Barrier
        fields = ["category", "severity", "note"]
        read_only_fields = fields


class IntakeSerializer(serializers.ModelSerializer):
    """An intake assessment (R-INT-1), its suggested verdict and the decision (R-INT-2)."""

    max_regime = serializers.DecimalField(max_digits=3, decimal_places=2, read_only=True)
    suggested_reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    # Blank until decided: "" is part of the documented values.
    decision = serializers.ChoiceField(choices=[("", "—"), *IntakeDecision.choices], read_only=True)
    alternative_route = serializers.ChoiceField(
        choices=[("", "—"), *AlternativeRoute.choices], read_only=True
    )
    barriers = BarrierSerializer(many=True, read_only=True)

    class Meta:
        model = Intake
        fields = [
            "id",
            "client",
            "assessed_on",
            "assessor",
            "strengths",
            "preconditions",
            "recent_experience",
            "experience_months",
            "learning_potential",
            "max_regime",
            "social_economy_highest",
            "faster_route",
            "barriers",
            "suggested_eligible",
            "suggested_reasons",
            "decision",
            "motivation",
            "alternative_route",
            "alternative_note",
            "decided_by",
            "decided_on",
            "version",
        ]
        read_only_fields = fields


class BarrierInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=BarrierCategory.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class IntakeCreateSerializer(serializers.Serializer):
    """An intake assessment (R-INT-1): the rules core suggests the verdict (R-INT-2)."""

    assessed_on = day_field()
    strengths = serializers.CharField(allow_blank=True, help_text="Work-related strengths.")
    preconditions = serializers.CharField(required=False, allow_blank=True, default="")
    recent_experience = serializers.CharField(required=False, allow_blank=True, default="")
    experience_months = serializers.IntegerField(
        min_value=0, max_value=60, default=0, help_text="Months worked in the last 5 years."
    )
    learning_potential = serializers.ChoiceField(choices=LearningPotential.choices)
    max_regime = serializers.DecimalField(
        max_digits=3,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        help_text="Share of full time the client can work (0.50 = half-time).",
    )
    social_economy_highest = serializers.BooleanField(default=False)
    faster_route = serializers.BooleanField(default=False)
    barriers = BarrierInputSerializer(
        many=True, required=False, default=list, help_text="At most one per category."
    )
    job_targets = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Occupation.objects.filter(is_active=True),
        required=False,
        help_text="When sent, they replace the client's job targets.",
    )

    def validate_barriers(self, rows: list[dict[str, str]]) -> list[tuple[str, str, str]]:
        # The app's form has one field per category.
        if len({row["category"] for row in rows}) != len(rows):
            raise serializers.ValidationError(_("A category is listed twice."))
        return [(row["category"], row["severity"], row["note"]) for row in rows]


class IntakeDecisionSerializer(serializers.Serializer):
    """The human decision with the instroommotivatie (R-INT-2); not eligible needs the
    alternative route."""

    decision = serializers.ChoiceField(choices=[("", "—"), *IntakeDecision.choices])
    motivation = serializers.CharField(allow_blank=True)
    alternative_route = serializers.ChoiceField(
        choices=[("", "—"), *AlternativeRoute.choices], required=False, default=""
    )
    alternative_note = serializers.CharField(required=False, allow_blank=True, default="")
    version = version_field(help_text="The intake's version you read.")


INTAKE_PK = OpenApiParameter(
    "intake_pk", int, OpenApiParameter.PATH, description="The intake's id."
)


def _client_data(client: Client, patch: dict[str, Any]) -> dict[str, Any]:
    """The full data the update service expects: the stored values with the patch applied."""
    data: dict[str, Any] = {name: getattr(client, name) for name in client_services.CLIENT_FIELDS}
    if patch.get("postcode", client.postcode) != client.postcode and "municipality" not in patch:
        data["municipality"] = None  # a new postcode: its municipality, not the old one
    data.update(patch)
    return data


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Name or national number; ignores case and accents, like the "
                "client list.",
            )
        ],
        responses=ClientListSerializer(many=True),
    ),
    retrieve=extend_schema(
        description="A client's dossier data, with the national number. Every read is in "
        "the audit trail (R-PRV-4).",
        responses=ClientSerializer,
    ),
    create=extend_schema(request=ClientCreateSerializer, responses={201: ClientSerializer}),
    partial_update=extend_schema(
        description="Change a client's data; send the version you read (409 when stale).",
        request=ClientUpdateSerializer,
        responses=ClientSerializer,
    ),
)
class ClientViewSet(mixins.ListModelMixin, ScopedViewSet):
    model = Client
    serializer_class = ClientSerializer

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ClientListSerializer if self.action == "list" else ClientSerializer

    def scoped(self, queryset: QuerySet[Client]) -> QuerySet[Client]:
        if self.action == "list":
            # The client list's own search, which starts from visible_to(user) as well.
            q = self.request.query_params.get("q", "").replace("\x00", "")
            queryset = search_clients(self.request.user, q)
        return queryset.select_related("municipality", "organisation").prefetch_related(
            Prefetch("job_targets", queryset=Occupation.objects.order_by("pk"))
        )

    def _fresh(self, client: Client) -> dict[str, Any]:
        return ClientSerializer(self.get_queryset().get(pk=client.pk)).data

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        client = self.get_object()
        client_services.dossier_viewed(client, by=request.user)  # R-PRV-4
        return Response(ClientSerializer(client).data)

    def create(self, request: Request) -> Response:
        """Register a client (one dossier per person) through the app's service."""
        serializer = ClientCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        job_targets = data.pop("job_targets", [])
        confirmed = data.pop("confirm_duplicate", False)
        if not confirmed and client_services.same_person(
            data["first_name"], data["last_name"], data["birth_date"]
        ):
            raise serializers.ValidationError(
                {
                    "confirm_duplicate": [
                        _(
                            "A client with this name and date of birth is already registered. "
                            "Check the client list first; save again if this is another person."
                        )
                    ]
                }
            )
        try:
            client = client_services.client_register(
                data=data, job_targets=job_targets, by=request.user
            )
        except client_services.DuplicateClientError as error:
            raise serializers.ValidationError(
                {"national_number": [self._duplicate_message(error.existing)]}
            ) from error
        return Response(self._fresh(client), status=status.HTTP_201_CREATED)

    def _duplicate_message(self, existing: Client) -> str:
        """Name the existing client only to whoever may see that dossier (as the app does)."""
        if Client.objects.visible_to(self.request.user).filter(pk=existing.pk).exists():
            return _("A client with this national number is already registered: %(name)s.") % {
                "name": existing.full_name
            }
        return _(
            "This national number is already registered in another "
            "organisation's dossier. Contact your team lead to get access."
        )

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        client = self.get_object()
        serializer = ClientUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        patch = dict(serializer.validated_data)
        if "version" not in patch:
            raise serializers.ValidationError(
                {"version": [serializers.Field.default_error_messages["required"]]}
            )
        version = patch.pop("version")
        job_targets = patch.pop("job_targets", None)
        client_services.client_update(
            client,
            data=_client_data(client, patch),
            job_targets=job_targets,
            expected_version=version,
            by=request.user,
        )
        return Response(self._fresh(client))

    def _intakes(self, client: Client) -> QuerySet[Intake]:
        return (
            Intake.objects.visible_to(self.request.user)
            .filter(client=client)
            .prefetch_related("barriers")
        )

    @extend_schema(
        methods=["GET"],
        description="The client's intake assessments, newest first. A dossier read: audited.",
        responses=IntakeSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        description="Record an intake assessment (R-INT-1) through the same service as the "
        "app; the answer has the suggested verdict (R-INT-2).",
        request=IntakeCreateSerializer,
        responses={201: IntakeSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def intakes(self, request: Request, pk: str | None = None) -> Response:
        client = self.get_object()
        if request.method == "POST":
            data = IntakeCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            intake = client_services.intake_record(
                client,
                data=values,
                barriers=values.pop("barriers"),
                job_targets=values.pop("job_targets", None),
                by=request.user,
            )
            fresh = self._intakes(client).get(pk=intake.pk)
            return Response(IntakeSerializer(fresh).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(self._intakes(client).order_by("-assessed_on", "-pk"))
        client_services.dossier_viewed(client, by=request.user)  # R-PRV-4
        return self.get_paginated_response(IntakeSerializer(page, many=True).data)

    @extend_schema(
        description="Decide on an intake (R-INT-2) through the same service as the app: "
        "the motivation is required, also when following the suggestion; send the intake's "
        "version (409 when stale).",
        parameters=[INTAKE_PK],
        request=IntakeDecisionSerializer,
        responses=IntakeSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"intakes/(?P<intake_pk>[^/.]+)/decide",
        url_name="intake-decide",
    )
    def intake_decide(
        self, request: Request, pk: str | None = None, intake_pk: str = ""
    ) -> Response:
        client = self.get_object()
        intake_id = as_id(intake_pk)
        intake = self._intakes(client).filter(pk=intake_id).first() if intake_id else None
        if intake is None:
            raise Http404
        data = IntakeDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        client_services.intake_decide(
            intake, expected_version=values.pop("version"), by=request.user, **values
        )
        return Response(IntakeSerializer(self._intakes(client).get(pk=intake.pk)).data)


# --- The trajectory's dossier parts ---------------------------------------------------------


class SuspensionSerializer(serializers.ModelSerializer):
    """A suspension (R-TRJ-3); ``end`` is its last day, empty while it lasts. To start one,
    send ``start``, ``reason``, optionally ``end``, and the trajectory's ``version``."""

    reason = serializers.CharField(allow_blank=True)
    end = serializers.DateField(required=False, allow_null=True, default=None)
    version = version_field(write_only=True, help_text="The trajectory's version you read.")

    class Meta:
        model = Suspension
        fields = ["id", "start", "end", "reason", "reviewed_on", "review_note", "version"]
        read_only_fields = ["id", "reviewed_on", "review_note"]


class PhaseExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PhaseExtension
        fields = ["until", "motivation"]
        read_only_fields = fields


class TrajectoryPhaseSerializer(serializers.ModelSerializer):
    """A phase period (R-TRJ-5); ``end`` is its last day once closed. To change phase, send
    the new ``phase``, its first day ``on`` and the trajectory's ``version``; after the
    orientation also ``decision`` and ``decided_by``. The current phase ends the day before."""

    on = serializers.DateField(write_only=True, help_text="The first day of the new phase.")
    phase = serializers.ChoiceField(choices=Phase.choices)
    decision = serializers.ChoiceField(
        choices=OrientationDecision.choices, required=False, allow_blank=True, default=""
    )
    decided_by = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    extensions = PhaseExtensionSerializer(many=True, read_only=True)
    version = version_field(write_only=True, help_text="The trajectory's version you read.")

    class Meta:
        model = TrajectoryPhase
        fields = [
            "id",
            "phase",
            "start",
            "planned_end",
            "end",
            "decision",
            "decided_by",
            "note",
            "extensions",
            "on",
            "version",
        ]
        read_only_fields = ["id", "start", "planned_end", "end"]


class EmploymentContractSerializer(serializers.ModelSerializer):
    """The art. 60 §7 employment contract (AO) (R-TRJ-2, R-A60-1). A PUT sends every field;
    ``version`` is the contract's version you read (leave it out to register a new one)."""

    weekly_hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=Decimal("1"), max_value=Decimal("60")
    )
    full_time_weekly_hours = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("1"),
        max_value=Decimal("60"),
        required=False,
        default=Decimal("38"),
    )
    days_credited = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0"),
        max_value=Decimal("999"),
        required=False,
        default=Decimal("0"),
    )
    rva_days = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0"),
        max_value=Decimal("999"),
        required=False,
        allow_null=True,
        default=None,
    )
    end = serializers.DateField(required=False, allow_null=True, default=None)
    rva_end = serializers.DateField(required=False, allow_null=True, default=None)
    third_party_user = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    regime = serializers.DecimalField(max_digits=4, decimal_places=2, read_only=True)
    version = version_field(required=False, allow_null=True, default=None)

    class Meta:
        model = EmploymentContract
        fields = [
            "start",
            "end",
            "weekly_hours",
            "full_time_weekly_hours",
            "regime",
            "third_party_user",
            "days_credited",
            "rva_status",
            "rva_days",
            "rva_end",
            "end_reason",
            "version",
        ]
        read_only_fields = ["regime", "end_reason"]


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class FinancingMonthSerializer(serializers.Serializer):
    month_end = serializers.DateField(help_text="The month-end this line is for (R-FIN-4).")
    month = serializers.IntegerField(help_text="k: the k-th month-end since the start (R-FIN-3).")
    effort_fee = _money(help_text="Inspanningsvergoeding (R-FIN-1).")
    effort_status = serializers.ChoiceField(
        choices=[(s.value, s.value) for s in EffortStatus],
        help_text="Why the effort fee is (not) paid.",
    )
    deel3 = _money(help_text="Deel 3, from month 25 while the AO runs (R-FIN-3).")
    compensation_part1 = _money()
    compensation_part2 = _money()
    part2_quarter = serializers.CharField(
        allow_null=True,
        help_text="The quarter (e.g. 2027-Q3) part 2 is booked in: the quarter guidance ends "
        "(R-FIN-2); null while guidance goes on.",
    )


class FinancingTotalsSerializer(serializers.Serializer):
    effort_fee = _money()
    deel3 = _money()
    compensation_part1 = _money()
    compensation_part2 = _money()
    total = _money()


class FinancingSerializer(serializers.Serializer):
    """Per-month entitlements of an art60 trajectory, computed by the rules core from the
    facts as known on ``as_of`` under the rule set in force on the trajectory's start
    (R-VER-1). A TWE-wz trajectory has no months."""

    trajectory = serializers.IntegerField()
    as_of = serializers.DateField()
    ruleset = serializers.CharField(help_text="The name of the rule set applied.")
    months = FinancingMonthSerializer(many=True)
    totals = FinancingTotalsSerializer()


def financing_data(trajectory: Trajectory, as_of: datetime.date) -> dict[str, Any]:
    ruleset = ruleset_on(trajectory.start)
    lines = monthly_financing(snapshot(trajectory), as_of, ruleset)
    amounts = ("effort_fee", "deel3", "compensation_part1", "compensation_part2")
    totals = {name: sum((getattr(line, name) for line in lines), Decimal(0)) for name in amounts}
    totals["total"] = sum(totals.values(), Decimal(0))
    return {
        "trajectory": trajectory.pk,
        "as_of": as_of,
        "ruleset": ruleset.name,
        "months": [_month(line) for line in lines],
        "totals": totals,
    }


def _month(line: MonthFinancing) -> dict[str, Any]:
    return {
        "month_end": line.month_end,
        "month": line.month,
        "effort_fee": line.effort_fee,
        "effort_status": line.effort_status.value,
        "deel3": line.deel3,
        "compensation_part1": line.compensation_part1,
        "compensation_part2": line.compensation_part2,
        "part2_quarter": str(line.part2_quarter) if line.part2_quarter else None,
    }


def _date_param(request: Request, name: str) -> datetime.date | None:
    try:
        value: datetime.date | None = serializers.DateField(
            required=False, allow_null=True
        ).run_validation(request.query_params.get(name) or None)
    except serializers.ValidationError as error:
        raise serializers.ValidationError({name: error.detail}) from error
    return value


class TrajectoryDossierViewSet(ScopedViewSet):
    """The parts of a trajectory's dossier, as routes under ``trajectories/{id}/``.

    Only detail actions: the router adds no list or detail route, so these routes sit beside
    ``TrajectoryViewSet``'s without clashing. The trajectory comes from visible_to(user).
    """

    model = Trajectory
    serializer_class = SuspensionSerializer

    def scoped(self, queryset: QuerySet[Trajectory]) -> QuerySet[Trajectory]:
        if self.action == "financing":
            return with_clock(queryset)  # what the rules core's snapshot reads
        return queryset.select_related("employment_contract")

    def _visible(self) -> QuerySet[Trajectory]:
        return Trajectory.objects.visible_to(self.request.user)

    @extend_schema(
        methods=["GET"],
        description="The trajectory's suspensions, oldest first.",
        responses=SuspensionSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        description="Suspend the trajectory (R-TRJ-3) through the same service as the app.",
        request=SuspensionSerializer,
        responses={201: SuspensionSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def suspensions(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        if request.method == "POST":
            data = SuspensionSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            suspension = trajectory_services.suspension_start(
                trajectory,
                start=data.validated_data["start"],
                end=data.validated_data["end"],
                reason=data.validated_data["reason"],
                expected_version=data.validated_data["version"],
                by=request.user,
            )
            return Response(SuspensionSerializer(suspension).data, status=status.HTTP_201_CREATED)
        rows = Suspension.objects.filter(
            trajectory__in=self._visible().values("pk"), trajectory=trajectory
        ).order_by("start", "pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(SuspensionSerializer(page, many=True).data)

    @extend_schema(
        methods=["GET"],
        description="The trajectory's phases with their extensions, oldest first.",
        responses=TrajectoryPhaseSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        description="Change to the next phase (R-TRJ-5) through the same service as the app.",
        request=TrajectoryPhaseSerializer,
        responses={201: TrajectoryPhaseSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def phases(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        if request.method == "POST":
            data = TrajectoryPhaseSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
            phase = trajectory_services.phase_change(
                trajectory,
                phase=values["phase"],
                on=values["on"],
                decision=values["decision"],
                decided_by=values["decided_by"],
                note=values["note"],
                expected_version=values["version"],
                by=request.user,
            )
            return Response(TrajectoryPhaseSerializer(phase).data, status=status.HTTP_201_CREATED)
        rows = (
            TrajectoryPhase.objects.filter(
                trajectory__in=self._visible().values("pk"), trajectory=trajectory
            )
            .prefetch_related("extensions")
            .order_by("start", "pk")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(TrajectoryPhaseSerializer(page, many=True).data)

    @extend_schema(
        methods=["GET"],
        description="The art. 60 employment contract (AO); 404 when none is registered.",
        responses=EmploymentContractSerializer,
    )
    @extend_schema(
        methods=["PUT"],
        description="Register (201) or change (200) the AO through the same service as the "
        "app; changing it needs the contract's version.",
        request=EmploymentContractSerializer,
        responses={200: EmploymentContractSerializer, 201: EmploymentContractSerializer},
    )
    @action(detail=True, methods=["get", "put"], url_path="employment-contract")
    def employment_contract(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        existing = contract_of(trajectory)
        if request.method == "PUT":
            data = EmploymentContractSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
            version = values.pop("version")
            contract = trajectory_services.contract_save(
                trajectory, data=values, expected_version=version, by=request.user
            )
            code = status.HTTP_200_OK if existing else status.HTTP_201_CREATED
            return Response(EmploymentContractSerializer(contract).data, status=code)
        if existing is None:
            raise Http404
        return Response(EmploymentContractSerializer(existing).data)

    @extend_schema(
        description="Per-month entitlements (R-FIN-1..4) computed by the rules core for this "
        "trajectory; none for a TWE-wz trajectory.",
        parameters=[
            OpenApiParameter(
                "as_of",
                datetime.date,
                description="Compute with the facts as known on this day (default today).",
            )
        ],
        responses=FinancingSerializer,
    )
    @action(detail=True, methods=["get"])
    def financing(self, request: Request, pk: str | None = None) -> Response:
        trajectory = self.get_object()
        as_of = _date_param(request, "as_of") or timezone.localdate()
        return Response(FinancingSerializer(financing_data(trajectory, as_of)).data)


def register(router: Any) -> None:
    router.register("clients", ClientViewSet, basename="client")
    router.register("trajectories", TrajectoryDossierViewSet, basename="trajectory-dossier")
