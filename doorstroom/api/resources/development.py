"""Development: ``evaluations`` (plan, record, complete), ``development-plans`` (POP
versions) and ``instrument-uses``.

Writes go through the same services as the app: planning and recording an evaluation
(R-TRJ-6), a new POP version (R-TRJ-7, never an edit), registering an instrument use (R-INS-1,
R-INS-2). A refusal comes back as 400 problem details naming the field; a stale version as 409.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from doorstroom.api.base import (
    ReadOnlyScopedViewSet,
    VisibleField,
    VisibleTrajectoryField,
    day_field,
    fields_renamed,
    id_param,
    version_field,
)
from doorstroom.core.audit import audit
from doorstroom.employers.models import Placement
from doorstroom.evaluations import services as evaluation_services
from doorstroom.evaluations.models import (
    Evaluation,
    EvaluationKind,
    EvaluationScore,
    EvaluationStatus,
    Source,
)
from doorstroom.evaluations.selectors import score_rows
from doorstroom.instruments import services as instrument_services
from doorstroom.instruments.models import InstrumentUse, UseResult
from doorstroom.plans import services as plan_services
from doorstroom.plans.models import (
    LEVELS,
    ActionStatus,
    Competence,
    PlanAction,
    PlanCompetence,
    PlanVersion,
)
from doorstroom.plans.selectors import VERSION_PREFETCH, evaluation_to_follow, latest_version

# --- References ----------------------------------------------------------------------------


class CompetenceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Competence
        fields = ["code", "name_nl", "name_en"]


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


class VisiblePlacementField(VisibleField):
    model = Placement


class EvaluationPlanSerializer(serializers.Serializer):
    """Plan an evaluation (R-TRJ-6) on the competences of the trajectory's current POP."""

    trajectory = VisibleTrajectoryField()
    kind = serializers.ChoiceField(choices=EvaluationKind.choices)
    planned_on = day_field()
    placement = VisiblePlacementField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The placement it evaluates; required for an on-the-job evaluation.",
    )
    version = version_field(help_text="The trajectory's version you read.")


def level_field(**kwargs: Any) -> serializers.IntegerField:
    """A level of the competence scale (1 to 4)."""
    return serializers.IntegerField(min_value=min(LEVELS), max_value=max(LEVELS), **kwargs)


class ScoreInputSerializer(serializers.Serializer):
    competence = serializers.CharField(
        max_length=60, help_text="The code of a competence of the POP version evaluated."
    )
    level = level_field()
    comment = serializers.CharField(max_length=500, allow_blank=True, default="")

    def validate_competence(self, value: str) -> int:
        # The app's form offers exactly the POP version's competences; so does the API.
        competences: dict[str, int] = self.context.get("competences", {})
        if value not in competences:
            raise serializers.ValidationError(_("This competence is not part of the POP version."))
        return competences[value]


class EvaluationRecordSerializer(serializers.Serializer):
    """The coach's levels, the client's self-assessment and the outcome. Completing needs the
    day it was held, the conclusions and the coach's level for every competence (R-TRJ-6)."""

    coach_scores = ScoreInputSerializer(many=True, required=False, default=list)
    self_scores = ScoreInputSerializer(many=True, required=False, default=list)
    held_on = day_field(required=False, allow_null=True, default=None)
    conclusions = serializers.CharField(allow_blank=True, required=False, default="")
    next_steps = serializers.CharField(allow_blank=True, required=False, default="")
    version = version_field(help_text="The evaluation's version you read.")

    def validate_coach_scores(self, rows: list[dict[str, Any]]) -> dict[int, tuple[int, str]]:
        return self._scores(rows)

    def validate_self_scores(self, rows: list[dict[str, Any]]) -> dict[int, tuple[int, str]]:
        return self._scores(rows)

    def _scores(self, rows: list[dict[str, Any]]) -> dict[int, tuple[int, str]]:
        scores = {row["competence"]: (int(row["level"]), row["comment"]) for row in rows}
        if len(scores) != len(rows):
            raise serializers.ValidationError(_("A competence is scored twice."))
        return scores


@extend_schema_view(
    list=extend_schema(parameters=[EvaluationFilters]),
    create=extend_schema(
        description="Plan an evaluation (R-TRJ-6) through the same service as the app.",
        request=EvaluationPlanSerializer,
        responses={status.HTTP_201_CREATED: EvaluationSerializer},
    ),
)
class EvaluationViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Evaluations (R-TRJ-6) of the trajectories the caller may see, scored per source."""

    model = Evaluation
    serializer_class = EvaluationSerializer
    filter_class = EvaluationFilters

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return EvaluationPlanSerializer
        if self.action in ("record", "complete"):
            return EvaluationRecordSerializer
        return super().get_serializer_class()

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

    def _fresh(self, evaluation: Evaluation) -> dict[str, Any]:
        return EvaluationSerializer(self.get_queryset().get(pk=evaluation.pk)).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = EvaluationPlanSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        evaluation = evaluation_services.evaluation_plan(
            values["trajectory"],
            kind=values["kind"],
            planned_on=values["planned_on"],
            placement=values["placement"],
            expected_version=values["version"],
            by=request.user,
        )
        return Response(self._fresh(evaluation), status=status.HTTP_201_CREATED)

    def _record(self, request: Request, *, complete: bool) -> Response:
        evaluation = self.get_object()
        version = evaluation.plan_version
        competences = (
            {row.competence.code: row.competence_id for row in version.competences.all()}
            if version
            else {}
        )
        data = EvaluationRecordSerializer(data=request.data, context={"competences": competences})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with fields_renamed({"coach_": "coach_scores"}):
            evaluation_services.evaluation_record(
                evaluation,
                coach_scores=values["coach_scores"],
                self_scores=values["self_scores"],
                held_on=values["held_on"],
                conclusions=values["conclusions"],
                next_steps=values["next_steps"],
                complete=complete,
                expected_version=values["version"],
                by=request.user,
            )
        return Response(self._fresh(evaluation))

    @extend_schema(
        description="Save the coach's levels and the client's self-assessment; the "
        "evaluation stays open. Send the evaluation's version (409 when stale).",
        request=EvaluationRecordSerializer,
        responses=EvaluationSerializer,
    )
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        return self._record(request, complete=False)

    @extend_schema(
        description="Save and complete the evaluation (R-TRJ-6): needs held_on, the "
        "conclusions and the coach's level for every competence of the POP version; the "
        "levels open the next POP version (R-TRJ-7).",
        request=EvaluationRecordSerializer,
        responses=EvaluationSerializer,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        return self._record(request, complete=True)


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


class VisibleInstrumentUseField(VisibleField):
    model = InstrumentUse


class PlanCompetenceInputSerializer(serializers.Serializer):
    competence = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Competence.objects.filter(is_active=True),
        help_text="The competence's code.",
    )
    current_level = level_field(required=False, allow_null=True, default=None)
    target_level = level_field()
    note = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class PlanActionInputSerializer(serializers.Serializer):
    what = serializers.CharField(max_length=300)
    who = serializers.CharField(max_length=120)
    due = day_field(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    instrument_use = VisibleInstrumentUseField(
        required=False, allow_null=True, default=None, help_text="Of the same trajectory."
    )


class PlanVersionCreateSerializer(serializers.Serializer):
    """A new POP version, whole (R-TRJ-7): a version is never edited. It follows the last
    completed evaluation not yet followed, as in the app."""

    trajectory = VisibleTrajectoryField()
    drawn_up_on = day_field()
    goals = serializers.ListField(
        child=serializers.CharField(max_length=500, allow_blank=True),
        help_text="One goal per item.",
    )
    agreements = serializers.CharField(allow_blank=True, required=False, default="")
    client_words = serializers.CharField(allow_blank=True, required=False, default="")
    competences = PlanCompetenceInputSerializer(many=True)
    actions = PlanActionInputSerializer(many=True, required=False, default=list)
    version = version_field(help_text="The trajectory's version you read.")


@extend_schema_view(
    list=extend_schema(parameters=[PlanVersionFilters]),
    create=extend_schema(
        description="Add the next POP version (R-TRJ-7) through the same service as the app.",
        request=PlanVersionCreateSerializer,
        responses={status.HTTP_201_CREATED: PlanVersionDetailSerializer},
    ),
)
class PlanVersionViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """The versions of the POP (persoonlijk ontwikkelingsplan) of each trajectory, newest first.

    A version is never edited: a change is a new version (R-TRJ-7). Reading one is audited, as
    in the app.
    """

    model = PlanVersion
    serializer_class = PlanVersionSerializer
    detail_serializer_class = PlanVersionDetailSerializer
    filter_class = PlanVersionFilters

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return PlanVersionCreateSerializer
        return super().get_serializer_class()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = PlanVersionCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        trajectory = values["trajectory"]
        version = plan_services.version_create(
            trajectory,
            data=plan_services.VersionData(
                drawn_up_on=values["drawn_up_on"],
                goals="\n".join(values["goals"]),
                competences=[
                    plan_services.CompetenceLine(**line) for line in values["competences"]
                ],
                actions=[plan_services.ActionLine(**line) for line in values["actions"]],
                agreements=values["agreements"],
                client_words=values["client_words"],
                evaluation=evaluation_to_follow(trajectory, latest_version(trajectory)),
            ),
            expected_version=values["version"],
            by=request.user,
        )
        fresh = (
            PlanVersion.objects.visible_to(request.user)
            .prefetch_related(*VERSION_PREFETCH)
            .get(pk=version.pk)
        )
        return Response(PlanVersionDetailSerializer(fresh).data, status=status.HTTP_201_CREATED)

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


class InstrumentUseCreateSerializer(serializers.Serializer):
    trajectory = VisibleTrajectoryField()
    kind = serializers.CharField(
        max_length=40,
        help_text="A kind of the rule set in force on the trajectory's start (R-INS-2).",
    )
    provider = serializers.CharField(max_length=200)
    start = day_field()
    end = day_field(help_text="The last day (up to 2999-12-31).")
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
    router.register("evaluations", EvaluationViewSet, basename="evaluation")
    router.register("development-plans", PlanVersionViewSet, basename="development-plan")
    router.register("instrument-uses", InstrumentUseViewSet, basename="instrument-use")
