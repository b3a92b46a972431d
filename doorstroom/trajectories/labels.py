"""What each deadline code is called in the interface (SPEC "Deadline codes")."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from doorstroom.rules.deadlines import DeadlineCode

LABELS: dict[DeadlineCode, str | Promise] = {
    DeadlineCode.ORIENTATION_END: _("End of the orientation phase"),
    DeadlineCode.AO_START_DUE: _("Employment contract (AO) must start"),
    DeadlineCode.AO_NOT_IN_TIME: _("Employment contract (AO) started late"),
    DeadlineCode.SUSPENSION_REVIEW: _("Review the suspension"),
    DeadlineCode.POP_DUE: _("POP version due"),
    DeadlineCode.EVALUATION_DUE: _("Evaluation due"),
    DeadlineCode.PLACEMENT_FOLLOWUP_DUE: _("On-the-job follow-up due"),
    DeadlineCode.TRAJECTORY_END: _("End of the trajectory"),
    DeadlineCode.END_REPORT_DUE: _("End report due"),
    DeadlineCode.AFTERCARE_END: _("End of aftercare"),
    DeadlineCode.FOLLOWUP_3M: _("Outflow follow-up after 3 months"),
    DeadlineCode.FOLLOWUP_6M: _("Outflow follow-up after 6 months"),
    DeadlineCode.FOLLOWUP_12M: _("Outflow follow-up after 12 months"),
    DeadlineCode.PROFILE_REVIEW_DUE: _("Job profile review due"),
    DeadlineCode.AGREEMENT_EXPIRY: _("Cooperation agreement expires"),
    DeadlineCode.CONSENT_EXPIRY: _("Consent expires"),
}
