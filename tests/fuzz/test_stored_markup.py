"""Issue 10 (R-PRV): markup stored in any free text of a dossier is shown escaped on every page.

The fuzz tests of the forms and the API check the pages after a save of markup, when a drawn
example happened to save some. This test does it for every free text field at once: every
CharField/TextField of the dossier's records that takes any text (no choices, no validator
beyond its length) is set to a payload of ``MARKUP``, then every UI page the fuzz tests open
is read as the coach and the team lead: none may contain the payload unescaped.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models

from tests.fuzz.hostile import MARKUP, raw_markup_in
from tests.fuzz.test_ui_forms import OPENED, login, url_for
from tests.fuzz.world import FuzzWorld, rolled_back

PAYLOAD = MARKUP[0] + MARKUP[1]
PLAIN_VALIDATORS = (MaxLengthValidator, ProhibitNullCharactersValidator)
# Not text a person reads: hashes, tokens, ciphertext, search indexes.
NOT_SHOWN = ("ciphertext", "search_text", "token", "token_hash", "digest", "key")


def free_text_fields(model: type[models.Model]) -> list[str]:
    names = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.choices:
            continue
        if field.name in NOT_SHOWN or field.unique or field.primary_key:
            continue
        if any(not isinstance(v, PLAIN_VALIDATORS) for v in field.validators):
            continue
        if field.max_length is not None and field.max_length < len(PAYLOAD):
            continue
        names.append(field.name)
    return names


def mark_up(world: FuzzWorld) -> list[str]:
    """Put the payload in every free text of the dossier's records; returns what was set."""
    changed = []
    for obj in world.dossier.values():
        if not isinstance(obj, models.Model):
            continue
        model: Any = type(obj)
        names = free_text_fields(model)
        if names and model is not type(world.coach):
            model.objects.filter(pk=obj.pk).update(**dict.fromkeys(names, PAYLOAD))
            changed += [f"{model.__name__}.{name}" for name in names]
    return changed


def test_markup_in_every_free_text_is_shown_escaped(fuzz_world: FuzzWorld, db: None) -> None:
    with rolled_back():
        changed = mark_up(fuzz_world)
        assert len(changed) > 20, f"too few free texts to prove anything: {changed}"
        shown = []
        for role in ("coach", "team_lead"):
            http = login(fuzz_world, role)
            for route in OPENED:
                url = url_for(route, fuzz_world)
                response = http.get(url)
                if response.status_code != 200 or "html" not in response["Content-Type"]:
                    continue
                html = response.content.decode()
                raw = raw_markup_in(html)
                assert not raw, f"stored XSS: {url} shows {raw} unescaped ({role})"
                if "&lt;script&gt;alert(1)" in html:
                    shown.append(url)
        assert shown, "no page shows the stored markup at all: the test proves nothing"
