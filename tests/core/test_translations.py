"""Dutch is complete: every message has a Dutch translation, and the compiled file is current."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "nl_BE" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) per entry; a plural entry once per form (msgstr[0], msgstr[1])."""
    entries = []
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        forms = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        if msgid and forms:
            joined = "".join(re.findall(r'"(.*)"', msgid.group(1)))
            for form in forms:
                translated = "".join(re.findall(r'"(.*)"', form))
                entries.append((joined, translated, "#, fuzzy" in block))
    return entries


def test_every_message_has_a_dutch_translation() -> None:
    entries = [e for e in _entries(PO.read_text(encoding="utf-8")) if e[0]]
    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert untranslated == []


def test_deadline_explanations_that_count_months_are_dutch_in_singular_and_plural() -> None:
    """The plural explanations are extracted and translated (R-TRJ-5, R-TRJ-6)."""
    from django.utils import translation

    from doorstroom.rules.deadlines import DeadlineCode
    from doorstroom.trajectories.deadlines import EXPLANATIONS

    facts = {"months": 1, "orientation_start": "1-3-2026"}
    with translation.override("nl-be"):
        one = str(EXPLANATIONS[DeadlineCode.ORIENTATION_END] % facts)
        six = str(EXPLANATIONS[DeadlineCode.EVALUATION_DUE] % {"months": 6})
    assert "1 maand" in one
    assert "6 maanden" in six


def test_the_compiled_catalogue_matches_the_source(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True)  # noqa: S603,S607  (msgfmt from PATH on a repo file)
    assert compiled.read_bytes() == PO.with_suffix(".mo").read_bytes(), "run `make messages`"


def test_explained_deadlines_that_count_are_full_sentences_in_dutch() -> None:
    """Regression: a plural explanation was formatted after str() and came out empty."""
    import datetime

    from django.utils import translation

    from doorstroom.rules.deadlines import Deadline, DeadlineCode, Severity
    from doorstroom.trajectories.deadlines import explain

    evaluation = Deadline(
        DeadlineCode.EVALUATION_DUE,
        datetime.date(2026, 6, 30),
        "R-TRJ-6",
        Severity.INFO,
        (("months", "6"),),
    )
    pop = Deadline(
        DeadlineCode.POP_DUE,
        datetime.date(2026, 6, 30),
        "R-TRJ-7",
        Severity.INFO,
        (("last_evaluation", "2026-05-31"), ("days", "30")),
    )
    with translation.override("nl-be"):
        assert "6 maanden" in explain(evaluation).explanation
        assert "30 dagen" in explain(pop).explanation
        assert "31-5-2026" in explain(pop).explanation


def test_every_explanation_reads_as_its_template_in_both_languages_one_after_the_other() -> None:
    """explain() keeps each translated sentence per language (issue 11): what it says must be
    what the template says, in the language active at the call, for singular and plural."""
    import datetime

    from django.utils import translation

    from doorstroom.core.text import short_date
    from doorstroom.rules.deadlines import Deadline, DeadlineCode, Severity
    from doorstroom.trajectories.deadlines import EXPLANATIONS, explain
    from doorstroom.trajectories.labels import LABELS

    dates = ("orientation_start", "ao_deadline", "ao_start", "suspension_start", "planned_end")
    more = ("last_day", "outflow", "agreement_end", "consent_end")
    for language, months in [("nl-be", 1), ("en", 1), ("nl-be", 6), ("en", 6), ("nl-be", 1)]:
        for code, template in EXPLANATIONS.items():
            facts = (("months", str(months)), *((k, "2026-03-01") for k in dates + more))
            deadline = Deadline(code, datetime.date(2026, 6, 30), "R-TRJ-6", Severity.INFO, facts)
            with translation.override(language):
                shown = {key: short_date(datetime.date(2026, 3, 1)) for key in dates + more}
                explained = explain(deadline)
                expected = str(template % {**shown, "months": months, "days": 0})
                assert (explained.explanation, explained.label) == (expected, str(LABELS[code]))
    with translation.override("nl-be"):
        orientation = Deadline(
            DeadlineCode.ORIENTATION_END,
            datetime.date(2026, 6, 30),
            "R-TRJ-5",
            Severity.INFO,
            (("months", "6"), ("orientation_start", "2026-03-01")),
        )
        assert "6 maanden vanaf 1-3-2026" in explain(orientation).explanation
    with translation.override("en"):
        assert "6 months from 01/03/2026" in explain(orientation).explanation  # day first
