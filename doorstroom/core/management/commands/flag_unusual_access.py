"""E-mail the privacy officers the unusual access of the last hours (run from cron).

Why e-mail as well as the list on the audit pages: a burst of reads outside one's caseload is
what a leaked password or a curious colleague looks like, and the privacy officer should not
have to open the audit log to learn of it. Run it from cron as often as ``--hours`` says
(default: daily, ``--hours 24``): each run reports the bursts whose last read lies in its
period (reading one window further back, so a burst is seen whole); a burst is reported once,
unless it goes on into the next period. The mail names the user and the window, never a
client; the details are behind the privacy officer's login. Each notification is audited
(R-PRV-4).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doorstroom.accounts.models import Organisation
from doorstroom.core.audit import audit
from doorstroom.core.privacy import (
    UnusualAccess,
    privacy_officers_of,
    recent_flags_by_organisation,
)


def _body(organisation: Organisation, flags: list[UnusualAccess]) -> str:
    lines = [
        _(
            "Unusual access in %(organisation)s: users who read more than %(limit)s dossiers "
            "outside their own caseload within %(minutes)s minutes."
        )
        % {
            "organisation": organisation.name,
            "limit": settings.DOORSTROOM_UNUSUAL_ACCESS_DOSSIERS,
            "minutes": settings.DOORSTROOM_UNUSUAL_ACCESS_MINUTES,
        },
        "",
    ]
    for flag in flags:
        url = settings.DOORSTROOM_BASE_URL + reverse("core:audit-user", args=[flag.actor_id])
        lines.append(
            _("- %(user)s: %(count)s dossiers from %(start)s until %(end)s: %(url)s")
            % {
                "user": flag.actor_label,
                "count": flag.dossiers,
                "start": timezone.localtime(flag.start).strftime("%d/%m/%Y %H:%M"),
                "end": timezone.localtime(flag.end).strftime("%d/%m/%Y %H:%M"),
                "url": url,
            }
        )
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "E-mail the privacy officers the unusual access (reads outside the caseload)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24, help="The period to report on.")

    def handle(self, *args: Any, **options: Any) -> None:
        hours = max(1, int(options["hours"]))
        found = recent_flags_by_organisation(now=timezone.now(), hours=hours)
        organisations = Organisation.objects.in_bulk(list(found))
        with translation.override(settings.LANGUAGE_CODE):
            for organisation_id, flags in found.items():
                organisation = organisations[organisation_id]
                officers = privacy_officers_of(organisation_id)
                if officers:
                    send_mail(
                        _("Unusual access to dossiers (%(organisation)s)")
                        % {"organisation": organisation.name},
                        _body(organisation, flags),
                        None,
                        [user.email for user in officers],
                    )
                audit(
                    None,
                    "core.unusual_access.notified",
                    changes={"flags": len(flags), "recipients": len(officers)},
                    organisation=organisation,
                    actor_label="flag_unusual_access",
                )
                self.stdout.write(
                    f"{organisation.name}: {len(flags)} flag(s), mailed {len(officers)}"
                )
