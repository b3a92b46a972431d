"""The pages that show saved data: after a save of markup, none may show it unescaped."""

from __future__ import annotations

from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.clients.tabs import Tab, dossier_url
from tests.fuzz.hostile import raw_markup_in
from tests.fuzz.world import FuzzWorld


def show_pages(world: FuzzWorld) -> list[str]:
    d = world.dossier
    return [
        *(dossier_url(d["client"].pk, tab) for tab in Tab),
        reverse("clients:list"),
        reverse("trajectories:caseload"),
        reverse("employers:detail", args=[d["employer"].pk]),
        reverse("employers:list"),
        reverse("evaluations:detail", args=[d["evaluation"].pk]),
        reverse("reports:end", args=[d["trajectory"].pk]),
    ]


def assert_escaped(http: HttpClient, urls: list[str], context: str) -> None:
    for url in urls:
        response = http.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            raw = raw_markup_in(response.content.decode())
            assert not raw, f"stored XSS: {url} shows {raw} unescaped after {context}"
