"""What each kind of import reads and how a row is checked and created.

Every row goes through the UI's own form and then the service's own checks (the private
``_clean_*`` functions of the clients and employers services, which ``*_register`` and
``*_create`` call too), so an import accepts and refuses exactly what the UI does.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.be import nn, vat

from doorstroom.accounts.models import Municipality, Organisation, PostalCode, User
from doorstroom.clients import services as client_services
from doorstroom.clients.forms import ClientForm
from doorstroom.clients.models import Client, DutchLevel, Income, Occupation, WorkDemand
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.core.params import is_ascii_digits
from doorstroom.core.text import normalise
from doorstroom.employers import services as employer_services
from doorstroom.employers.forms import EmployerCreateForm, WorkplaceForm
from doorstroom.employers.models import Employer, EmployerKind, Level, Sector
from doorstroom.imports.columns import (
    CellError,
    Column,
    choice_help,
    choice_reader,
    choices_reader,
    to_bool,
    to_date,
    to_national_number,
    to_regime,
)
from doorstroom.imports.models import ImportKind

BULK_BATCH = 500
Errors = list[tuple[str, str]]  # (column key, message)


@dataclass
class Checked:
    """One row after the checks: ``values`` to create from, or the reasons it is refused."""

    row: int
    label: str
    errors: Errors = field(default_factory=list)
    values: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    unique: str = ""


class Importer:
    kind: str = ""
    columns: tuple[Column, ...] = ()
    unique_key = ""  # the column whose value may occur only once in a file

    def __init__(self, *, by: User, organisation: Organisation) -> None:
        self.by = by
        self.organisation = organisation
        self.organisation_ids = by.organisation_ids()
        self._municipalities: dict[str, int] | None = None
        self.municipalities_by_pk: dict[str, Municipality] = {}  # read with the names
        self.client_lookups = client_services.LOOKUPS  # a postcode's municipalities
        self._form: forms.Form | None = None
        self.columns = tuple(self.bind(column) for column in type(self).columns)

    def lookups(self) -> dict[str, Callable[[str], str]]:
        """Columns read by looking a record up (a name → the id the form expects)."""
        return {"municipality": self.municipality}

    def bind(self, column: Column) -> Column:
        reader = self.lookups().get(column.key)
        return replace(column, convert=reader) if reader else column

    # -- reading ------------------------------------------------------------------------
    def municipality(self, text: str) -> str:
        """A municipality's Dutch or French name (or a postcode) → its id for the form."""
        if self._municipalities is None:
            self._municipalities = {}
            for record in Municipality.objects.all():
                self._municipalities.setdefault(normalise(record.name_fr), record.pk)
                self._municipalities[normalise(record.name_nl)] = record.pk
                self.municipalities_by_pk[str(record.pk)] = record
        if is_ascii_digits(text, 4):
            return str(client_services.municipality_for(text, lookups=self.client_lookups).pk)
        found = self._municipalities.get(normalise(text))
        if found is None:
            raise CellError(_("This municipality is unknown."))
        return str(found)

    def form_data(self, raw: Mapping[str, str]) -> tuple[dict[str, Any], Errors]:
        data: dict[str, Any] = {}
        errors: Errors = []
        for column in self.columns:
            try:
                data[column.key] = column.read(raw.get(column.key, ""))
            except CellError as error:
                errors.append((column.key, str(error)))
            except DomainError as error:  # a lookup by a service (a postcode's municipality)
                errors.append((column.key, str(error)))
        return data, errors

    # -- per kind -----------------------------------------------------------------------
    def label(self, raw: Mapping[str, str]) -> str:
        raise NotImplementedError

    def unique_value(self, raw: Mapping[str, str]) -> str:
        """The value that must not occur twice in one file ("" for none)."""
        return ""

    def prepare(self, batch: list[Mapping[str, str]]) -> None:
        """Read what the checks of these rows look up, in one query per kind of record."""

    def make_form(self, data: dict[str, Any]) -> forms.Form:
        raise NotImplementedError

    def bound_form(self, data: dict[str, Any]) -> forms.Form:
        """The UI's form bound to ``data``: built once, then re-bound for each row.

        Building a form deep-copies its fields, which costs more than checking a row; a bound
        form re-validates from scratch once its errors are reset.
        """
        form = self._form
        if form is None:
            form = self._form = self.make_form(data)
        else:
            form.data = data
            # Django's error cache (not in the stubs): full_clean runs again on is_valid().
            form._errors = None  # type: ignore[attr-defined]
            form.cleaned_data = {}
        return form

    def clean(self, form: forms.Form, checked: Checked) -> None:
        """Run the service's checks; set ``checked.values`` or raise DomainError."""
        raise NotImplementedError

    def create(self, rows: list[Checked], *, run_pk: int) -> list[Checked]:
        """Create the checked rows; return those a service refused after all."""
        raise NotImplementedError

    def keep(self, checked: Checked, raw: Mapping[str, str]) -> Any:
        """What the run keeps of a row for the real run: the row as read, to check again."""
        return dict(raw)

    def recheck(
        self, kept: Iterable[tuple[int, Any]], report: list[dict[str, Any]]
    ) -> list[Checked]:
        """The rows of the real run: checked again, every one, exactly as in the dry run."""
        return check_all(self, kept)

    def create_each(
        self, rows: list[Checked], action: Callable[[Checked], object]
    ) -> list[Checked]:
        """Call the UI's service per row, each in a savepoint; return the rows it refused."""
        refused = []
        for checked in rows:
            try:
                with transaction.atomic():
                    action(checked)
            except DomainError as error:
                checked.errors = [(error.field or "", str(error))]
                refused.append(checked)
        return refused


def check_row(importer: Importer, row: int, raw: Mapping[str, str]) -> Checked:
    """Check one row with the form and the service, as the UI would; collect every reason."""
    checked = Checked(row=row, label=importer.label(raw), unique=importer.unique_value(raw))
    data, errors = importer.form_data(raw)
    unreadable = {key for key, _message in errors}
    form = importer.bound_form(data)
    if not form.is_valid():
        for name, messages in form.errors.items():
            key = "" if name == NON_FIELD_ERRORS else name
            if key not in unreadable:
                errors += [(key, str(m)) for m in messages]
    if not errors:
        try:
            importer.clean(form, checked)
        except DomainError as error:
            errors.append((error.field or "", str(error)))
    checked.errors = errors
    return checked


def check_all(importer: Importer, rows: Iterable[tuple[int, Mapping[str, str]]]) -> list[Checked]:
    """Check every row as the UI would, then refuse values that occur twice in the file.

    The rows are checked in batches, each prepared first, so that the number of queries does
    not grow with the number of rows (issue 11).
    """
    rows = list(rows)
    checked: list[Checked] = []
    for start in range(0, len(rows), BULK_BATCH):
        batch = rows[start : start + BULK_BATCH]
        importer.prepare([raw for _number, raw in batch])
        checked += [check_row(importer, number, raw) for number, raw in batch]
    by_value: dict[str, list[Checked]] = defaultdict(list)
    for row in checked:
        if row.unique:
            by_value[row.unique].append(row)
    for same in by_value.values():
        if len(same) > 1:
            numbers = ", ".join(str(row.row) for row in same)
            for row in same:
                row.errors.append(
                    (
                        importer.unique_key,
                        _("This value occurs more than once in the file (rows %(rows)s).")
                        % {"rows": numbers},
                    )
                )
    return checked


def _to_json(values: Mapping[str, Any]) -> dict[str, Any]:
    """A service's cleaned values, kept in the run: records by id, dates and decimals as text."""
    kept: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, models.Model):
            kept[name] = value.pk
        elif isinstance(value, datetime.date | Decimal):
            kept[name] = str(value)
        else:
            kept[name] = value
    return kept


def _from_json(model: type[models.Model], kept: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in kept.items():
        field = model._meta.get_field(name)
        if field.is_relation:
            values[field.attname] = value  # type: ignore[union-attr]  # a concrete foreign key
        else:
            values[name] = None if value is None else field.to_python(value)  # type: ignore[union-attr]  # a concrete field
    return values


# --- Clients ------------------------------------------------------------------------------


class PreloadedChoiceField(forms.ModelChoiceField):
    """A form's choice of a record by id, answered from the records read once (issue 11).

    The UI's field reads its choice with one query; an import of thousands of rows reads them
    all at once. An id not among them is looked up as the UI's field does (and refused the same).
    """

    def __init__(
        self, field: forms.ModelChoiceField, records: Callable[[], Mapping[str, models.Model]]
    ) -> None:
        super().__init__(
            queryset=field.queryset,
            required=field.required,
            label=field.label,
            help_text=field.help_text,
            to_field_name=field.to_field_name,
        )
        self.records = records

    def to_python(self, value: Any) -> models.Model | None:
        found = self.records().get(str(value)) if value not in self.empty_values else None
        return found if found is not None else super().to_python(value)


class PreloadedLookups(client_services.ClientLookups):
    """What ``_clean_client`` looks up, read for a batch of rows in one query each (issue 11).

    The answers are those of the one-row lookups: the municipalities of a postcode, and the
    client already registered with a national number (R-INT: one dossier per person). A value
    outside the batch (cleaned into another form than expected) is looked up as the UI does.
    """

    def __init__(self) -> None:
        self.by_postcode: dict[str, list[Municipality]] = {}
        self.by_number: dict[str, Client | None] = {}

    def load(self, *, postcodes: set[str], national_numbers: set[str]) -> None:
        self.by_postcode = {code: [] for code in postcodes}
        for postal in PostalCode.objects.filter(code__in=postcodes).select_related("municipality"):
            found = self.by_postcode[postal.code]
            if postal.municipality not in found:
                found.append(postal.municipality)
        self.by_number = dict.fromkeys(national_numbers)
        for client in Client.objects.filter(national_number__in=national_numbers).only(
            "pk", "national_number"
        ):
            self.by_number[client.national_number] = client

    def municipalities(self, postcode: str) -> list[Municipality]:
        if postcode in self.by_postcode:
            return self.by_postcode[postcode]
        return super().municipalities(postcode)

    def registered(self, national_number: str, exclude_pk: int | None) -> Client | None:
        if exclude_pk is None and national_number in self.by_number:
            return self.by_number[national_number]
        return super().registered(national_number, exclude_pk)


class ClientImporter(Importer):
    kind = ImportKind.CLIENTS
    unique_key = "national_number"
    columns = (
        Column("first_name", "voornaam", "first name", required=True, example="Sofie"),
        Column(
            "last_name",
            "achternaam",
            "last name",
            required=True,
            example="Maes",
            aliases=("familienaam", "naam"),
        ),
        Column(
            "birth_date",
            "geboortedatum",
            "date of birth",
            required=True,
            convert=to_date,
            example="1985-07-30",
            aliases=("birth date",),
            help=gettext_lazy("2026-03-05 or 5/3/2026"),
        ),
        Column(
            "national_number",
            "rijksregisternummer",
            "national number",
            convert=to_national_number,
            example="85.07.30-033.28",
            aliases=("insz", "rrn", "national register number"),
            help=gettext_lazy("11 digits, with or without dots; empty for people without one"),
        ),
        Column(
            "street",
            "straat",
            "street",
            example="Markt 1",
            aliases=("adres", "straat en nummer", "street and number", "address"),
        ),
        Column(
            "postcode",
            "postcode",
            "postcode",
            required=True,
            example="2440",
            aliases=("postal code", "zip"),
        ),
        Column(
            "municipality",
            "gemeente",
            "municipality",
            example="Geel",
            help=gettext_lazy("only needed when several municipalities share the postcode"),
        ),
        Column(
            "phone",
            "telefoon",
            "phone",
            example="0470 12 34 56",
            aliases=("gsm", "telefoonnummer", "phone number"),
        ),
        Column(
            "email",
            "e-mail",
            "e-mail",
            example="sofie.maes@example.be",
            aliases=("email address", "e-mailadres", "mail"),
        ),
        Column("languages", "talen", "languages", example="Nederlands, Arabisch"),
        Column(
            "dutch_level",
            "niveau nederlands",
            "level of dutch",
            convert=choice_reader(DutchLevel),
            default="none",
            example="B1",
            aliases=("nederlands", "dutch"),
            help=choice_help(DutchLevel),
        ),
        Column(
            "income",
            "inkomen",
            "income",
            required=True,
            convert=choice_reader(Income),
            example="leefloon",
            help=choice_help(Income),
        ),
        Column(
            "vdab_registration_date",
            "ingeschreven bij vdab op",
            "registered at vdab on",
            convert=to_date,
            example="2025-01-15",
            aliases=("vdab",),
        ),
        Column(
            "driving_licence",
            "rijbewijs",
            "driving licence",
            convert=to_bool,
            default="false",
            example="ja",
            help=gettext_lazy("yes/no (ja/nee)"),
        ),
        Column(
            "own_transport",
            "eigen vervoer",
            "own transport",
            convert=to_bool,
            default="false",
            example="nee",
            help=gettext_lazy("yes/no (ja/nee)"),
        ),
        Column(
            "public_transport",
            "openbaar vervoer",
            "public transport",
            convert=to_bool,
            default="true",
            example="ja",
            help=gettext_lazy("yes/no; empty means yes"),
        ),
        Column(
            "max_regime",
            "maximaal regime",
            "maximum regime",
            convert=to_regime,
            default="1.00",
            example="80%",
            help=gettext_lazy("0.5, 50 % or 50; empty means full-time"),
        ),
        Column(
            "work_limitations",
            "werkbeperkingen",
            "work limitations",
            convert=choices_reader(WorkDemand),
            example="lifting",
            help=choice_help(WorkDemand),
        ),
    )

    def __init__(self, *, by: User, organisation: Organisation) -> None:
        super().__init__(by=by, organisation=organisation)
        self.client_lookups = self.preloaded = PreloadedLookups()

    def label(self, raw: Mapping[str, str]) -> str:
        return f"{raw.get('first_name', '')} {raw.get('last_name', '')}".strip()

    def unique_value(self, raw: Mapping[str, str]) -> str:
        text = to_national_number(raw.get("national_number", "").strip())
        return nn.compact(text) if text else ""

    def prepare(self, batch: list[Mapping[str, str]]) -> None:
        # The postcode column (even a wrong one: unknown, the same answer), and a postcode
        # written in the municipality column.
        postcodes = {raw.get("postcode", "").strip() for raw in batch}
        postcodes |= {raw.get("municipality", "").strip() for raw in batch}
        self.preloaded.load(
            postcodes={code for code in postcodes if code},
            national_numbers={self.unique_value(raw) for raw in batch} - {""},
        )

    def make_form(self, data: dict[str, Any]) -> forms.Form:
        form = ClientForm(data)
        field = form.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        form.fields["municipality"] = PreloadedChoiceField(field, lambda: self.municipalities_by_pk)
        return form

    def clean(self, form: forms.Form, checked: Checked) -> None:
        # The same checks as client_register (INSZ, phone, postcode, duplicates in the database),
        # with the batch's municipalities and registered national numbers read beforehand.
        checked.values = client_services._clean_client(form.cleaned_data, lookups=self.preloaded)

    def keep(self, checked: Checked, raw: Mapping[str, str]) -> Any:
        """The values the service cleaned (none for a refused row): not checked a second time."""
        return None if checked.errors or checked.values is None else _to_json(checked.values)

    def recheck(
        self, kept: Iterable[tuple[int, Any]], report: list[dict[str, Any]]
    ) -> list[Checked]:
        """Refused rows stay refused; accepted ones keep the values the service cleaned.

        What can change between the dry run and the real run is a client registered meanwhile
        with the same national number: checked for every row here, as the service does, in one
        query per batch (and held by the database's unique constraint).
        """
        entries = {entry["row"]: entry for entry in report}
        checked: list[Checked] = []
        for number, values in kept:
            entry = entries[number]
            row = Checked(row=number, label=entry["label"])
            if values is None:
                row.errors = [(e["column"], e["message"]) for e in entry["errors"]]
            else:
                row.values = _from_json(Client, values)
            checked.append(row)
        self._refuse_registered_meanwhile([row for row in checked if row.values])
        return checked

    def _refuse_registered_meanwhile(self, rows: list[Checked]) -> None:
        for start in range(0, len(rows), BULK_BATCH):
            batch = {
                row.values["national_number"]: row
                for row in rows[start : start + BULK_BATCH]
                if row.values and row.values["national_number"]
            }
            for existing in Client.objects.filter(national_number__in=list(batch)).only(
                "pk", "national_number"
            ):
                error = client_services.DuplicateClientError(existing)
                batch[existing.national_number].errors.append((self.unique_key, str(error)))

    def create(self, rows: list[Checked], *, run_pk: int) -> list[Checked]:
        """Create in batches: client_register does one row at a time (see docs/import.md)."""
        for start in range(0, len(rows), BULK_BATCH):
            batch = rows[start : start + BULK_BATCH]
            clients = []
            for checked in batch:
                assert checked.values is not None
                client = Client(
                    **checked.values, organisation=self.organisation, registered_by=self.by
                )
                client.refresh_search_text()
                clients.append(client)
            Client.objects.bulk_create(clients)
            for client in clients:
                audit(
                    self.by,
                    "clients.client.registered",
                    client,
                    {"referral": None, "job_targets": 0, "import_run": run_pk},
                )
        return []


# --- Employers ----------------------------------------------------------------------------


class EmployerImporter(Importer):
    kind = ImportKind.EMPLOYERS
    unique_key = "enterprise_number"
    columns = (
        Column(
            "name",
            "naam",
            "name",
            required=True,
            example="Groendienst De Linde",
            aliases=("werkgever", "employer"),
        ),
        Column(
            "enterprise_number",
            "ondernemingsnummer",
            "enterprise number",
            example="0403.019.261",
            aliases=("kbo", "kbo-nummer", "btw", "vat"),
        ),
        Column(
            "kind",
            "soort",
            "kind",
            required=True,
            convert=choice_reader(EmployerKind),
            example="nec",
            help=choice_help(EmployerKind),
        ),
        Column(
            "sector",
            "sector",
            "sector",
            required=True,
            convert=choice_reader(Sector),
            example="green",
            help=choice_help(Sector),
        ),
        Column(
            "street",
            "straat",
            "street",
            example="Kerkstraat 12",
            aliases=("adres", "straat en nummer", "street and number", "address"),
        ),
        Column("postcode", "postcode", "postcode", example="2440"),
        Column("municipality", "gemeente", "municipality", example="Geel"),
        Column("phone", "telefoon", "phone", example="014 56 78 90"),
        Column(
            "email",
            "e-mail",
            "e-mail",
            example="info@delinde.example",
            aliases=("e-mailadres", "email address"),
        ),
        Column("website", "website", "website", example="www.delinde.example"),
        Column("notes", "notities", "notes", example=""),
        Column(
            "contact_name", "contactpersoon", "contact person", required=True, example="Tom Claes"
        ),
        Column(
            "contact_job_title",
            "functie contactpersoon",
            "contact person's job title",
            example="Ploegbaas",
        ),
        Column(
            "contact_phone",
            "telefoon contactpersoon",
            "contact person's phone",
            example="0478 11 22 33",
        ),
        Column(
            "contact_email",
            "e-mail contactpersoon",
            "contact person's e-mail",
            example="tom@delinde.example",
        ),
    )

    def label(self, raw: Mapping[str, str]) -> str:
        return raw.get("name", "")

    def unique_value(self, raw: Mapping[str, str]) -> str:
        text = raw.get("enterprise_number", "").strip()
        return vat.compact(text) if text else ""

    def make_form(self, data: dict[str, Any]) -> forms.Form:
        return EmployerCreateForm(data, organisation_ids=self.organisation_ids)

    def clean(self, form: forms.Form, checked: Checked) -> None:
        assert isinstance(form, EmployerCreateForm)
        # The same checks as employer_create: KBO number, phone, postcode, duplicates.
        checked.values = employer_services._clean_employer(self.organisation, form.cleaned_data)
        contact = form.contact_data()
        try:
            employer_services._clean_contact(contact)
        except DomainError as error:
            error.field = f"contact_{error.field}" if error.field else "contact_name"
            raise
        checked.extra = {"data": form.cleaned_data, "contact": contact}

    def create(self, rows: list[Checked], *, run_pk: int) -> list[Checked]:
        return self.create_each(
            rows,
            lambda checked: employer_services.employer_create(
                data=checked.extra["data"], contact=checked.extra["contact"], by=self.by
            ),
        )


# --- Workplaces ---------------------------------------------------------------------------


class WorkplaceImporter(Importer):
    kind = ImportKind.WORKPLACES
    columns = (
        Column(
            "employer",
            "werkgever",
            "employer",
            required=True,
            example="0403.019.261",
            help=gettext_lazy(
                "the enterprise number or the exact name of an employer "
                "your organisation registered"
            ),
        ),
        Column(
            "title",
            "functie",
            "job title",
            required=True,
            example="Medewerker groendienst",
            aliases=("titel", "title", "werkpost"),
        ),
        Column(
            "occupation",
            "beroep",
            "occupation",
            example="Tuinman",
            help=gettext_lazy("the occupation's Dutch name as in the list of job targets"),
        ),
        Column("tasks", "taken", "tasks", example="Maaien, snoeien, onderhoud van perken"),
        Column(
            "demands",
            "fysieke belasting",
            "physical demands",
            convert=choices_reader(WorkDemand),
            example="lifting, outdoor",
            aliases=("belasting", "demands"),
            help=choice_help(WorkDemand),
        ),
        Column(
            "requires_driving_licence",
            "rijbewijs nodig",
            "driving licence needed",
            convert=to_bool,
            default="false",
            example="nee",
            help=gettext_lazy("yes/no (ja/nee)"),
        ),
        Column(
            "dutch_level",
            "niveau nederlands",
            "level of dutch needed",
            convert=choice_reader(DutchLevel),
            default="none",
            example="A2",
            aliases=("level of dutch",),
            help=choice_help(DutchLevel),
        ),
        Column(
            "min_regime",
            "laagste regime",
            "lowest regime",
            convert=to_regime,
            default="0.50",
            example="50%",
        ),
        Column(
            "max_regime",
            "hoogste regime",
            "highest regime",
            convert=to_regime,
            default="1.00",
            example="100%",
        ),
        Column(
            "schedule",
            "uurrooster",
            "schedule",
            example="ma-vr 8:00-16:00",
            aliases=("uren", "hours and schedule"),
        ),
        Column(
            "pace",
            "tempo",
            "pace",
            convert=choice_reader(Level),
            default="medium",
            example="medium",
            help=choice_help(Level),
        ),
        Column(
            "variety",
            "afwisseling",
            "variety",
            convert=choice_reader(Level),
            default="medium",
            example="high",
            help=choice_help(Level),
        ),
        Column(
            "street",
            "straat",
            "street",
            example="Parklaan 3",
            aliases=("adres", "straat en nummer", "street and number", "address"),
        ),
        Column(
            "municipality",
            "gemeente",
            "municipality",
            example="Geel",
            aliases=("location", "locatie"),
            help=gettext_lazy("a name or a postcode"),
        ),
        Column(
            "capacity",
            "plaatsen",
            "places",
            default="1",
            example="2",
            aliases=("capacity", "aantal plaatsen"),
        ),
        Column(
            "last_reviewed",
            "laatst herzien op",
            "last reviewed on",
            convert=to_date,
            example="2026-09-01",
            help=gettext_lazy("empty means today"),
        ),
    )

    def __init__(self, *, by: User, organisation: Organisation) -> None:
        self._employers: dict[str, Employer | None] | None = None
        self._occupations: dict[str, int] | None = None
        super().__init__(by=by, organisation=organisation)

    def lookups(self) -> dict[str, Callable[[str], str]]:
        return {
            "employer": self.employer,
            "occupation": self.occupation,
            "municipality": self.municipality,
        }

    def bind(self, column: Column) -> Column:
        if column.key == "last_reviewed":  # as the UI's form, pre-filled with today
            return replace(column, default=timezone.localdate().isoformat())
        return super().bind(column)

    def employer(self, text: str) -> str:
        """An employer of the user's organisation, by enterprise number or exact name."""
        if self._employers is None:
            found: dict[str, Employer | None] = {}
            for employer in Employer.objects.visible_to(self.by).filter(
                organisation=self.organisation
            ):
                if employer.enterprise_number:
                    found[employer.enterprise_number] = employer
                name = normalise(employer.name)
                found[name] = None if name in found else employer  # ambiguous names: None
            self._employers = found
        key = vat.compact(text) if any(c.isdigit() for c in text) else normalise(text)
        chosen = self._employers.get(key) or self._employers.get(normalise(text))
        if chosen is None:
            raise CellError(
                _("No employer of your organisation has this enterprise number or name.")
            )
        return str(chosen.pk)

    def occupation(self, text: str) -> str:
        if self._occupations is None:
            self._occupations = {
                normalise(name): pk
                for pk, name in Occupation.objects.filter(is_active=True).values_list(
                    "pk", "name_nl"
                )
            }
        found = self._occupations.get(normalise(text))
        if found is None:
            raise CellError(_("This occupation is not in the list of job targets."))
        return str(found)

    def label(self, raw: Mapping[str, str]) -> str:
        return f"{raw.get('title', '')} — {raw.get('employer', '')}".strip(" —")

    def make_form(self, data: dict[str, Any]) -> forms.Form:
        return WorkplaceForm(data, organisation_ids=self.organisation_ids)

    def clean(self, form: forms.Form, checked: Checked) -> None:
        employer = self._employers_by_pk(form.data.get("employer", ""))
        checked.values = employer_services._clean_workplace(form.cleaned_data, employer)
        checked.extra = {"employer": employer, "data": form.cleaned_data}

    def _employers_by_pk(self, pk: str) -> Employer:
        for employer in (self._employers or {}).values():
            if employer is not None and str(employer.pk) == pk:
                return employer
        raise DomainError(_("Enter the employer."), field="employer")

    def create(self, rows: list[Checked], *, run_pk: int) -> list[Checked]:
        return self.create_each(
            rows,
            lambda checked: employer_services.workplace_create(
                checked.extra["employer"], data=checked.extra["data"], competences={}, by=self.by
            ),
        )


IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.CLIENTS: ClientImporter,
    ImportKind.EMPLOYERS: EmployerImporter,
    ImportKind.WORKPLACES: WorkplaceImporter,
}


def column_docs() -> list[dict[str, Any]]:
    """The documented columns of each kind, for the upload page."""
    return [
        {"kind": kind, "label": ImportKind(kind).label, "columns": importer.columns}
        for kind, importer in IMPORTERS.items()
    ]
