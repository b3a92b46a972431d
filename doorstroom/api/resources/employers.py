"""``employers`` (with their contacts and agreements) and ``workplaces`` (job profiles).

Writes go through the same services as the app (R-PLC): registering an employer with its one
contact person (R-PLC-2), adding a workplace (R-PLC-7), and changing either with the version
read (409 when stale). A refusal is a 400 naming the field.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from doorstroom.accounts.models import Municipality, User
from doorstroom.api.base import (
    ReadOnlyScopedViewSet,
    VisibleField,
    day_field,
    fields_renamed,
    id_param,
    require_version,
    version_field,
)
from doorstroom.api.resources.development import CompetenceRefSerializer
from doorstroom.api.resources.trajectories import DeadlineSerializer, deadline_data
from doorstroom.clients.models import Occupation, WorkDemand
from doorstroom.clients.validation import clean_phone
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.text import normalise
from doorstroom.employers import services as employer_services
from doorstroom.employers.forms import staff_of
from doorstroom.employers.models import (
    Agreement,
    Employer,
    EmployerContact,
    EmployerKind,
    Level,
    Sector,
    Workplace,
    WorkplaceCompetence,
)
from doorstroom.employers.selectors import agreement_status, employer_deadlines
from doorstroom.plans.models import Competence
from doorstroom.rules import deadlines as rule_deadlines
from doorstroom.rules.matching import AgreementState
from doorstroom.rules.matching import Demand as MatchingDemand
from doorstroom.trajectories.models import Trajectory

# --- References ----------------------------------------------------------------------------


class MunicipalityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["refnis", "name_nl"]


class OccupationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Occupation
        fields = ["id", "isco_code", "name_nl", "name_en"]


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


class StaffField(serializers.PrimaryKeyRelatedField):
    """A coach, team lead or counsellor of the caller's organisations (the app's choices)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[User]:
        request = self.context.get("request")
        if request is None:
            return User.objects.none()
        return staff_of(request.user.organisation_ids())


class VisibleEmployerField(VisibleField):
    model = Employer


def patched(obj: Any, names: tuple[str, ...], patch: dict[str, Any]) -> dict[str, Any]:
    """The full data an update service expects: the stored values with the patch applied.

    A new postcode without a municipality gets the postcode's own, not the old one.
    """
    data: dict[str, Any] = {name: getattr(obj, name) for name in names}
    if "postcode" in data and patch.get("postcode", data["postcode"]) != data["postcode"]:
        patch.setdefault("municipality", None)
    data.update(patch)
    return data


class ContactInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerContact
        fields = ["name", "job_title", "phone", "email"]
        extra_kwargs = {"phone": {"max_length": 30}}


class EmployerWriteSerializer(serializers.ModelSerializer):
    enterprise_number = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="The KBO number, 10 digits (0403.019.261 or 0403019261).",
    )
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    contact_coach = StaffField(required=False, allow_null=True)

    class Meta:
        model = Employer
        fields = [
            "name",
            "enterprise_number",
            "kind",
            "sector",
            "street",
            "postcode",
            "municipality",
            "phone",
            "email",
            "website",
            "contact_coach",
            "notes",
        ]
        extra_kwargs = {
            "municipality": {
                "help_text": "Only needed when several municipalities share the postcode."
            }
        }


class EmployerCreateSerializer(EmployerWriteSerializer):
    """A new employer with its one contact person (R-PLC-2)."""

    contact = ContactInputSerializer()

    class Meta(EmployerWriteSerializer.Meta):
        fields = [*EmployerWriteSerializer.Meta.fields, "contact"]


class EmployerUpdateSerializer(EmployerWriteSerializer):
    version = version_field(help_text="The employer's version you read; required.")

    class Meta(EmployerWriteSerializer.Meta):
        fields = [*EmployerWriteSerializer.Meta.fields, "is_active", "version"]


@extend_schema_view(
    list=extend_schema(parameters=[EmployerFilters]),
    create=extend_schema(
        description="Register an employer with its one contact person (R-PLC-2), through "
        "the same service as the app, for your organisation.",
        request=EmployerCreateSerializer,
        responses={status.HTTP_201_CREATED: EmployerSerializer},
    ),
    partial_update=extend_schema(
        description="Change an employer; send the version you read (409 when stale).",
        request=EmployerUpdateSerializer,
        responses=EmployerSerializer,
    ),
)
class EmployerViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Employers of the caller's organisations (R-PLC), with contacts and agreements."""

    model = Employer
    serializer_class = EmployerSerializer
    filter_class = EmployerFilters

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return EmployerCreateSerializer
        if self.action == "partial_update":
            return EmployerUpdateSerializer
        return super().get_serializer_class()

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

    def _fresh(self, employer: Employer) -> dict[str, Any]:
        return EmployerSerializer(self.get_queryset().get(pk=employer.pk)).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = EmployerCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        contact = values.pop("contact")
        # The contact's phone is checked by the same rule, named after the contact.
        with fields_renamed({"phone": "contact"}):
            clean_phone(contact.get("phone", ""))
        employer = employer_services.employer_create(data=values, contact=contact, by=request.user)
        return Response(self._fresh(employer), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        employer = self.get_object()
        data = EmployerUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        patch = dict(data.validated_data)
        version = require_version(patch)
        employer_services.employer_update(
            employer,
            data=patched(employer, employer_services.EMPLOYER_FIELDS, patch),
            expected_version=version,
            by=request.user,
        )
        return Response(self._fresh(employer))


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


class ActiveOccupationField(serializers.PrimaryKeyRelatedField):
    """An occupation of the active list (the app's choices)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Occupation.objects.filter(is_active=True), **kwargs)


class TrainedCompetenceInputSerializer(serializers.Serializer):
    competence = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Competence.objects.filter(is_active=True),
        help_text="The competence's code.",
    )
    level = serializers.IntegerField(help_text="The level asked, 1 to 4.")


class WorkplaceWriteSerializer(serializers.ModelSerializer):
    occupation = ActiveOccupationField(required=False, allow_null=True)
    demands = serializers.ListField(
        child=serializers.ChoiceField(choices=WorkDemand.choices),
        required=False,
        help_text="What the workplace demands (R-PLC-5).",
    )
    pace = serializers.ChoiceField(choices=PACES, required=False)
    variety = serializers.ChoiceField(choices=VARIETIES, required=False)
    last_reviewed = day_field(
        required=False, help_text="The job profile's last review (R-PLC-7); default today."
    )
    contact_coach = StaffField(required=False, allow_null=True)
    trained_competences = TrainedCompetenceInputSerializer(
        many=True,
        required=False,
        help_text="The competences it trains; when sent, they replace the stored ones.",
    )

    class Meta:
        model = Workplace
        fields = [
            "title",
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
            "contact_coach",
            "last_reviewed",
            "trained_competences",
        ]


class WorkplaceCreateSerializer(WorkplaceWriteSerializer):
    employer = VisibleEmployerField()

    class Meta(WorkplaceWriteSerializer.Meta):
        fields = ["employer", *WorkplaceWriteSerializer.Meta.fields]


class WorkplaceUpdateSerializer(WorkplaceWriteSerializer):
    version = version_field(help_text="The workplace's version you read; required.")

    class Meta(WorkplaceWriteSerializer.Meta):
        fields = [*WorkplaceWriteSerializer.Meta.fields, "is_active", "version"]


def trained(rows: list[dict[str, Any]] | None) -> dict[Competence, int] | None:
    return None if rows is None else {row["competence"]: row["level"] for row in rows}


# The app's form names the trained competences' levels "competences".
WORKPLACE_FIELDS_RENAMED = {"competences": "trained_competences"}


@extend_schema_view(
    list=extend_schema(parameters=[WorkplaceFilters]),
    create=extend_schema(
        description="Add a workplace with its job profile (R-PLC-7) to an employer, through "
        "the same service as the app.",
        request=WorkplaceCreateSerializer,
        responses={status.HTTP_201_CREATED: WorkplaceSerializer},
    ),
    partial_update=extend_schema(
        description="Change a workplace; send the version you read (409 when stale).",
        request=WorkplaceUpdateSerializer,
        responses=WorkplaceSerializer,
    ),
)
class WorkplaceViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Workplaces with their job profile (R-PLC-7) at the caller's organisations' employers."""

    model = Workplace
    serializer_class = WorkplaceSerializer
    filter_class = WorkplaceFilters

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return WorkplaceCreateSerializer
        if self.action == "partial_update":
            return WorkplaceUpdateSerializer
        return super().get_serializer_class()

    def _fresh(self, workplace: Workplace) -> dict[str, Any]:
        return WorkplaceSerializer(self.get_queryset().get(pk=workplace.pk)).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = WorkplaceCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        employer = values.pop("employer")
        competences = trained(values.pop("trained_competences", [])) or {}
        with fields_renamed(WORKPLACE_FIELDS_RENAMED):
            workplace = employer_services.workplace_create(
                employer, data=values, competences=competences, by=request.user
            )
        return Response(self._fresh(workplace), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        workplace = self.get_object()
        data = WorkplaceUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        patch = dict(data.validated_data)
        version = require_version(patch)
        competences = trained(patch.pop("trained_competences", None))
        with fields_renamed(WORKPLACE_FIELDS_RENAMED):
            employer_services.workplace_update(
                workplace,
                data=patched(workplace, employer_services.WORKPLACE_FIELDS, patch),
                competences=competences,
                expected_version=version,
                by=request.user,
            )
        return Response(self._fresh(workplace))

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


# --- Routes ------------------------------------------------------------------------------


def register(router: Any) -> None:
    router.register("employers", EmployerViewSet, basename="employer")
    router.register("workplaces", WorkplaceViewSet, basename="workplace")
