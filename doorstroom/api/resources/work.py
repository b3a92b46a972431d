"""Work and development: ``employers``, ``workplaces``, ``placements``, ``clients/{id}/matches``,
``evaluations``, ``development-plans`` (POP versions) and ``instrument-uses``.

Read-only but for registering an instrument use, which goes through the same service as the
app (R-INS-1, R-INS-2): a refusal comes back as 400 problem details naming the field.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from doorstroom.accounts.models import Municipality
from doorstroom.api.base import ScopedViewSet
from doorstroom.api.resources.trajectories import DeadlineSerializer, deadline_data
from doorstroom.clients.models import Client, Occupation, WorkDemand
from doorstroom.core.audit import audit
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.core.text import normalise
from doorstroom.employers import explain
from doorstroom.employers.models import (
    Agreement,
    Employer,
    EmployerContact,
    EmployerKind,
    Level,
    Placement,
    PlacementFollowUp,
    RegimeStep,
    Sector,
    Workplace,
    WorkplaceCompetence,
)
from doorstroom.employers.selectors import (
    agreement_status,
    employer_deadlines,
    matches_for_client,
)
from doorstroom.evaluations.models import Evaluation, EvaluationScore, EvaluationStatus, Source
from doorstroom.evaluations.selectors import score_rows
from doorstroom.instruments import services as instrument_services
from doorstroom.instruments.models import InstrumentUse, UseResult
from doorstroom.plans.models import Competence, PlanAction, PlanCompetence, PlanVersion
from doorstroom.plans.selectors import VERSION_PREFETCH
from doorstroom.rules import deadlines as rule_deadlines
from doorstroom.rules.matching import AgreementState, ComponentCode, Match
from doorstroom.rules.matching import Demand as MatchingDemand
from doorstroom.trajectories.models import Trajectory

# --- Shared pieces -----------------------------------------------------------------------


def query_filters(request: Request, filters: type[serializers.Serializer]) -> dict[str, Any]:
    """The list's query parameters, checked: a wrong value is a 400 naming the parameter."""
    checked = filters(data=request.query_params)
    checked.is_valid(raise_exception=True)
    return {
        name: value for name, value in checked.validated_data.items() if value not in ("", None)
    }


MAX_ID = 2**63 - 1  # ids are 64-bit (BigAutoField): a larger one cannot even be looked up


def id_param() -> serializers.IntegerField:
    """An optional id to filter on."""
    return serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class ReadOnlyScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """List (checked filters from ``filter_class``) and detail; ``detail_serializer_class``
    gives the detail more than a list row when set."""

    detail_serializer_class: type[serializers.BaseSerializer[Any]] | None = None
    filter_class: type[serializers.Serializer] | None = None

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()

    def filters(self) -> dict[str, Any]:
        if self.action != "list" or self.filter_class is None:
            return {}
        return query_filters(self.request, self.filter_class)


class MunicipalityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["refnis", "name_nl"]


class OccupationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Occupation
        fields = ["id", "isco_code", "name_nl", "name_en"]


class CompetenceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Competence
        fields = ["code", "name_nl", "name_en"]


class EmployerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Employer
        fields = ["id", "name"]


class WorkplaceRefSerializer(serializers.ModelSerializer):
    employer = EmployerRefSerializer()

    class Meta:
        model = Workplace
        fields = ["id", "title", "employer"]


# --- Employers ---------------------------------------------------------------------------


class EmployerContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerContact
        fields = ["id", "role", "name", "job_title", "phone", "email"]


class AgreementSummarySerializer(serializers.ModelSerializer):
    in_force = serializers.SerializerMethodField(help_text="Signed and valid today.")
    trajectory = serializers.SerializerMethodField(
        help_text="A tripartite agreement's trajectory, when the caller may see it."
    )
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "kind",
            "start",
            "end",
            "signed_on",
            "commitment_clause",
            "signed_by_client",
            "in_force",
            "trajectory",
            "has_document",
        ]

    def get_in_force(self, obj: Agreement) -> bool:
        return obj.in_force_on(timezone.localdate())

    def get_trajectory(self, obj: Agreement) -> int | None:
        return obj.trajectory_id if getattr(obj, "trajectory_visible", False) else None

    def get_has_document(self, obj: Agreement) -> bool:
        return bool(obj.document)


AGREEMENT_STATES = [(state.value, state.value) for state in AgreementState]


class EmployerSerializer(serializers.ModelSerializer):
    municipality = MunicipalityRefSerializer(allow_null=True)
    contacts = serializers.SerializerMethodField(
        help_text="The one contact person (R-PLC-2) and the active mentors."
    )
    agreements = AgreementSummarySerializer(many=True)
    agreement_status = serializers.SerializerMethodField(
        help_text="The cooperation agreement today (R-PLC-1): in_force, expiring or missing."
    )
    workplace_count = serializers.IntegerField(help_text="Active workplaces.")
    deadlines = serializers.SerializerMethodField(
        help_text="Agreement expiry (R-PLC-1) and job-profile reviews (R-PLC-7)."
    )

    class Meta:
        model = Employer
        fields = [
            "id",
            "name",
            "kind",
            "sector",
            "enterprise_number",
            "street",
            "postcode",
            "municipality",
            "phone",
            "email",
            "website",
            "organisation",
            "contact_coach",
            "notes",
            "is_active",
            "contacts",
            "agreements",
            "agreement_status",
            "workplace_count",
            "deadlines",
            "created_at",
            "version",
        ]

    @extend_schema_field(EmployerContactSerializer(many=True))
    def get_contacts(self, obj: Employer) -> Any:
        return EmployerContactSerializer(obj.contacts.all(), many=True).data

    @extend_schema_field(serializers.ChoiceField(choices=AGREEMENT_STATES))
    def get_agreement_status(self, obj: Employer) -> str:
        return agreement_status(obj.agreements.all(), timezone.localdate())

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj: Employer) -> list[dict[str, Any]]:
        return [deadline_data(d) for d in employer_deadlines(obj, timezone.localdate())]


class EmployerFilters(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, help_text="Search in name and enterprise number."
    )
    kind = serializers.ChoiceField(choices=EmployerKind.choices, required=False, allow_blank=True)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False, allow_blank=True)


@extend_schema_view(list=extend_schema(parameters=[EmployerFilters]))
class EmployerViewSet(ReadOnlyScopedViewSet):
    """Employers of the caller's organisations (R-PLC), with contacts and agreements."""

    model = Employer
    serializer_class = EmployerSerializer
    filter_class = EmployerFilters

    def scoped(self, queryset: QuerySet[Employer]) -> QuerySet[Employer]:
        # A tripartite agreement names a client's trajectory: only for who may see that one.
        visible = Trajectory.objects.visible_to(self.request.user).filter(
            pk=OuterRef("trajectory_id")
        )
        queryset = (
            queryset.select_related("municipality")
            .annotate(
                workplace_count=Count(
                    "workplaces", filter=Q(workplaces__is_active=True), distinct=True
                )
            )
            .prefetch_related(
                Prefetch("contacts", queryset=EmployerContact.objects.filter(is_active=True)),
                Prefetch(
                    "agreements",
                    queryset=Agreement.objects.annotate(trajectory_visible=Exists(visible)),
                ),
                Prefetch("workplaces", queryset=Workplace.objects.filter(is_active=True)),
            )
            .order_by("name", "pk")
        )
        filters = self.filters()
        if "q" in filters:
            queryset = queryset.filter(search_text__contains=normalise(filters["q"]))
        for name in ("kind", "sector"):
            if name in filters:
                queryset = queryset.filter(**{name: filters[name]})
        return queryset


# --- Workplaces --------------------------------------------------------------------------


# The rules core's demands, each described by its ICF code: a choice set of its own in the
# schema (the clients' work limitations use the same values under their own name).
DEMANDS = [(demand.value, demand.icf) for demand in MatchingDemand]
ICF_OF = dict(DEMANDS)


class DemandSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=DEMANDS)
    icf = serializers.CharField(help_text="The ICF code of the demand.")
    label = serializers.CharField()


class TrainedCompetenceSerializer(serializers.ModelSerializer):
    competence = CompetenceRefSerializer()

    class Meta:
        model = WorkplaceCompetence
        fields = ["competence", "level"]


# Pace and variety share one choice set; each gets its own labels so that the schema names
# each enum after its field (one choice set under two names is a schema warning).
PACES = [(level.value, f"{level.value} pace") for level in Level]
VARIETIES = [(level.value, f"{level.value} variety") for level in Level]


class WorkplaceSerializer(serializers.ModelSerializer):
    employer = EmployerRefSerializer()
    occupation = OccupationRefSerializer(allow_null=True)
    municipality = MunicipalityRefSerializer(allow_null=True)
    demands = serializers.SerializerMethodField(
        help_text="What the workplace demands (R-PLC-5), each with its ICF code in the label."
    )
    pace = serializers.ChoiceField(choices=PACES)
    variety = serializers.ChoiceField(choices=VARIETIES)
    trained_competences = TrainedCompetenceSerializer(
        source="trained", many=True, help_text="The competences it trains, with the level asked."
    )
    running_placements = serializers.IntegerField(help_text="Placements running today.")
    review = serializers.SerializerMethodField(help_text="The job-profile review (R-PLC-7).")

    class Meta:
        model = Workplace
        fields = [
            "id",
            "title",
            "employer",
            "occupation",
            "tasks",
            "demands",
            "requires_driving_licence",
            "dutch_level",
            "min_regime",
            "max_regime",
            "schedule",
            "pace",
            "variety",
            "street",
            "municipality",
            "capacity",
            "running_placements",
            "trained_competences",
            "contact_coach",
            "last_reviewed",
            "review",
            "is_active",
            "created_at",
            "version",
        ]

    @extend_schema_field(DemandSerializer(many=True))
    def get_demands(self, obj: Workplace) -> list[dict[str, str]]:
        labels = dict(WorkDemand.choices)
        return [
            {"code": code, "icf": ICF_OF.get(code, ""), "label": str(labels.get(code, code))}
            for code in obj.demands
        ]

    @extend_schema_field(DeadlineSerializer)
    def get_review(self, obj: Workplace) -> dict[str, Any]:
        today = timezone.localdate()
        deadline = rule_deadlines.profile_review_due(
            str(obj.pk), obj.last_reviewed, today=today, ruleset=ruleset_on(today)
        )
        return deadline_data(deadline)


class WorkplaceFilters(serializers.Serializer):
    employer = id_param()


@extend_schema_view(list=extend_schema(parameters=[WorkplaceFilters]))
class WorkplaceViewSet(ReadOnlyScopedViewSet):
    """Workplaces with their job profile (R-PLC-7) at the caller's organisations' employers."""

    model = Workplace
    serializer_class = WorkplaceSerializer
    filter_class = WorkplaceFilters

    def scoped(self, queryset: QuerySet[Workplace]) -> QuerySet[Workplace]:
        today = timezone.localdate()
        queryset = (
            queryset.select_related("employer", "occupation", "municipality")
            .prefetch_related(
                Prefetch(
                    "trained",
                    queryset=WorkplaceCompetence.objects.select_related("competence").order_by(
                        "competence__name_nl", "pk"
                    ),
                )
            )
            .annotate(
                running_placements=Count(
                    "placements",
                    filter=Q(placements__start__lte=today)
                    & (Q(placements__end__isnull=True) | Q(placements__end__gte=today)),
                )
            )
            .order_by("employer__name", "title", "pk")
        )
        filters = self.filters()
        if "employer" in filters:
            queryset = queryset.filter(employer_id=filters["employer"])
        return queryset


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


@extend_schema_view(list=extend_schema(parameters=[PlacementFilters]))
class PlacementViewSet(ReadOnlyScopedViewSet):
    """Placements of the trajectories the caller may see, with regime steps and follow-ups."""

    model = Placement
    serializer_class = PlacementSerializer
    filter_class = PlacementFilters

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


# --- Evaluations -------------------------------------------------------------------------


class SourceScoreSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Source.choices)
    level = serializers.IntegerField(min_value=1, max_value=4)
    comment = serializers.CharField(allow_blank=True)


class CompetenceScoresSerializer(serializers.Serializer):
    competence = CompetenceRefSerializer()
    current_level = serializers.IntegerField(
        allow_null=True, help_text="In the POP version evaluated."
    )
    target_level = serializers.IntegerField()
    scores = SourceScoreSerializer(many=True, help_text="One per source that scored it.")


class EvaluationSerializer(serializers.ModelSerializer):
    competences = serializers.SerializerMethodField(
        help_text="The competences of the POP version evaluated, with each source's level."
    )

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "trajectory",
            "kind",
            "status",
            "planned_on",
            "held_on",
            "placement",
            "plan_version",
            "conclusions",
            "next_steps",
            "mentor_comment",
            "competences",
            "completed_by",
            "created_at",
            "version",
        ]

    @extend_schema_field(CompetenceScoresSerializer(many=True))
    def get_competences(self, obj: Evaluation) -> Any:
        rows = [
            {
                "competence": row.competence,
                "current_level": row.plan.current_level,
                "target_level": row.plan.target_level,
                "scores": [
                    {"source": source, "level": row.levels[source], "comment": row.comments[source]}
                    for source in Source.values
                    if row.levels[source] is not None
                ],
            }
            for row in score_rows(obj)
        ]
        return CompetenceScoresSerializer(rows, many=True).data


class EvaluationFilters(serializers.Serializer):
    trajectory = id_param()
    status = serializers.ChoiceField(
        choices=EvaluationStatus.choices, required=False, allow_blank=True
    )


@extend_schema_view(list=extend_schema(parameters=[EvaluationFilters]))
class EvaluationViewSet(ReadOnlyScopedViewSet):
    """Evaluations (R-TRJ-6) of the trajectories the caller may see, scored per source."""

    model = Evaluation
    serializer_class = EvaluationSerializer
    filter_class = EvaluationFilters

    def scoped(self, queryset: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
        queryset = (
            queryset.select_related("plan_version")
            .prefetch_related(
                Prefetch("scores", queryset=EvaluationScore.objects.select_related("competence")),
                Prefetch(
                    "plan_version__competences",
                    queryset=PlanCompetence.objects.select_related("competence"),
                ),
            )
            .order_by("-planned_on", "-pk")
        )
        filters = self.filters()
        if "trajectory" in filters:
            queryset = queryset.filter(trajectory_id=filters["trajectory"])
        if "status" in filters:
            queryset = queryset.filter(status=filters["status"])
        return queryset


# --- Development plans (POP versions, R-TRJ-7) -------------------------------------------


class PlanVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanVersion
        fields = ["id", "trajectory", "number", "drawn_up_on", "author", "evaluation"]


class PlanCompetenceSerializer(serializers.ModelSerializer):
    competence = CompetenceRefSerializer()

    class Meta:
        model = PlanCompetence
        fields = ["competence", "current_level", "target_level", "note"]


class PlanActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanAction
        fields = ["id", "what", "who", "due", "status", "instrument_use"]


class PlanVersionDetailSerializer(PlanVersionSerializer):
    goals = serializers.ListField(
        child=serializers.CharField(), source="goal_list", help_text="One goal per item."
    )
    competences = PlanCompetenceSerializer(many=True)
    actions = PlanActionSerializer(many=True)

    class Meta(PlanVersionSerializer.Meta):
        fields = [
            *PlanVersionSerializer.Meta.fields,
            "goals",
            "agreements",
            "client_words",
            "competences",
            "actions",
            "created_at",
        ]


class PlanVersionFilters(serializers.Serializer):
    trajectory = id_param()


@extend_schema_view(list=extend_schema(parameters=[PlanVersionFilters]))
class PlanVersionViewSet(ReadOnlyScopedViewSet):
    """The versions of the POP (persoonlijk ontwikkelingsplan) of each trajectory, newest first.

    A version is never edited: a change is a new version (R-TRJ-7). Reading one is audited, as
    in the app.
    """

    model = PlanVersion
    serializer_class = PlanVersionSerializer
    detail_serializer_class = PlanVersionDetailSerializer
    filter_class = PlanVersionFilters

    def scoped(self, queryset: QuerySet[PlanVersion]) -> QuerySet[PlanVersion]:
        queryset = queryset.order_by("-drawn_up_on", "-number", "-pk")
        if self.action == "retrieve":
            queryset = queryset.select_related("trajectory").prefetch_related(*VERSION_PREFETCH)
        filters = self.filters()
        if "trajectory" in filters:
            queryset = queryset.filter(trajectory_id=filters["trajectory"])
        return queryset

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        version = self.get_object()
        audit(request.user, "plans.plan.viewed", version.trajectory, purpose="POP")
        return Response(self.get_serializer(version).data)


# --- Instrument uses (R-INS-1, R-INS-2) --------------------------------------------------


class InstrumentUseSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(
        help_text="The kind's name in the rule set of the trajectory's start (R-INS-2)."
    )

    class Meta:
        model = InstrumentUse
        fields = [
            "id",
            "trajectory",
            "kind",
            "kind_label",
            "provider",
            "start",
            "end",
            "hours",
            "regime",
            "result",
            "result_notes",
            "created_at",
            "version",
        ]


# The rules core counts durations from these days: keep them far from the calendar's end.
LATEST_DAY = datetime.date(2999, 12, 31)


class VisibleTrajectoryField(serializers.PrimaryKeyRelatedField):
    """A trajectory the caller may see; any other id reads as not existing."""

    def get_queryset(self) -> QuerySet[Trajectory]:
        request = self.context.get("request")
        if request is None:
            return Trajectory.objects.none()
        return Trajectory.objects.visible_to(request.user)


class InstrumentUseCreateSerializer(serializers.Serializer):
    trajectory = VisibleTrajectoryField(queryset=Trajectory.objects.none())
    kind = serializers.CharField(
        max_length=40,
        help_text="A kind of the rule set in force on the trajectory's start (R-INS-2).",
    )
    provider = serializers.CharField(max_length=200)
    start = serializers.DateField(
        validators=[MaxValueValidator(LATEST_DAY)], help_text="Up to 2999-12-31."
    )
    end = serializers.DateField(
        validators=[MaxValueValidator(LATEST_DAY)], help_text="The last day (up to 2999-12-31)."
    )
    hours = serializers.DecimalField(
        max_digits=6,
        decimal_places=1,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text="All hours over the whole period; required once finished (R-INS-1).",
    )
    regime = serializers.DecimalField(
        max_digits=3, decimal_places=2, default=Decimal("1.00"), help_text="Share of full time."
    )
    result = serializers.ChoiceField(choices=UseResult.choices, default=UseResult.PLANNED)
    result_notes = serializers.CharField(allow_blank=True, default="")


class InstrumentUseFilters(serializers.Serializer):
    trajectory = id_param()
    kind = serializers.CharField(required=False, allow_blank=True, max_length=40)


@extend_schema_view(
    list=extend_schema(parameters=[InstrumentUseFilters]),
    create=extend_schema(
        request=InstrumentUseCreateSerializer,
        responses={status.HTTP_201_CREATED: InstrumentUseSerializer},
    ),
)
class InstrumentUseViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Instrument uses (R-INS-1) of the trajectories the caller may see.

    Registering one checks the kind's limits in the rule set of the trajectory's start
    (R-INS-2, R-TRJ-11); a refusal names the limit and the field.
    """

    model = InstrumentUse
    serializer_class = InstrumentUseSerializer
    filter_class = InstrumentUseFilters

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return InstrumentUseCreateSerializer
        return super().get_serializer_class()

    def scoped(self, queryset: QuerySet[InstrumentUse]) -> QuerySet[InstrumentUse]:
        queryset = queryset.order_by("-start", "-pk")
        filters = self.filters()
        if "trajectory" in filters:
            queryset = queryset.filter(trajectory_id=filters["trajectory"])
        if "kind" in filters:
            queryset = queryset.filter(kind=filters["kind"])
        return queryset

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = InstrumentUseCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        trajectory = values.pop("trajectory")
        use = instrument_services.use_register(trajectory, data=values, by=request.user)
        fresh = self.get_queryset().get(pk=use.pk)
        return Response(InstrumentUseSerializer(fresh).data, status=status.HTTP_201_CREATED)


# --- Routes ------------------------------------------------------------------------------


def register(router: Any) -> None:
    router.register("employers", EmployerViewSet, basename="employer")
    router.register("workplaces", WorkplaceViewSet, basename="workplace")
    router.register("placements", PlacementViewSet, basename="placement")
    router.register(
        r"clients/(?P<client_pk>[^/.]+)/matches", ClientMatchViewSet, basename="client-matches"
    )
    router.register("evaluations", EvaluationViewSet, basename="evaluation")
    router.register("development-plans", PlanVersionViewSet, basename="development-plan")
    router.register("instrument-uses", InstrumentUseViewSet, basename="instrument-use")
