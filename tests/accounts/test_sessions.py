"""Sessions (issue #10): idle timeout, the list of sessions, signing out, new-device e-mails."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from doorstroom.accounts import sessions
from doorstroom.accounts.models import KnownDevice, UserSession
from doorstroom.core.models import AuditEvent

PASSWORD = "correct horse battery"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def browser(agent: str = FIREFOX) -> Client:
    http = Client(HTTP_USER_AGENT=agent)
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the texts below are asserted in English
    return http


@pytest.fixture(autouse=True)
def _english(client: Client) -> None:
    """The texts are asserted in English: the cookie for the pages before login (the browser's
    Accept-Language is deliberately ignored)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def log_in(client: Client, user: Any) -> Any:
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


def age_activity(client: Client, minutes: float) -> None:
    """Pretend the last request was ``minutes`` ago (the session's last-activity value)."""
    session = client.session
    session[sessions.ACTIVITY_KEY] -= minutes * 60
    session.save()


# Idle timeout ---------------------------------------------------------------------------------


def test_it_signs_out_after_thirty_idle_minutes(client: Client, owner: Any) -> None:
    client.force_login(owner)
    age_activity(client, 29)
    assert client.get(reverse("trajectories:caseload")).status_code == 200
    age_activity(client, 30)
    response = client.get(reverse("trajectories:caseload"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    # Written while the owner (Dutch, the default) was still signed in.
    assert "automatisch afgemeld na 30 minuten zonder activiteit" in page
    assert AuditEvent.objects.filter(action="accounts.user.logged_out").count() == 1
    assert not UserSession.objects.filter(user=owner).exists()


def test_the_timeout_is_a_setting(client: Client, owner: Any, settings: Any) -> None:
    settings.DOORSTROOM_IDLE_TIMEOUT_MINUTES = 10
    client.force_login(owner)
    age_activity(client, 11)
    assert client.get(reverse("trajectories:caseload")).status_code == 302


def test_activity_is_written_at_most_once_a_minute(client: Client, owner: Any) -> None:
    client.force_login(owner)
    row = UserSession.objects.get(user=owner)
    seen = row.last_seen
    client.get(reverse("accounts:session-ping"))
    row.refresh_from_db()
    assert row.last_seen == seen  # within the minute: no write
    age_activity(client, 2)
    assert client.get(reverse("accounts:session-ping")).status_code == 204  # "Stay signed in"
    row.refresh_from_db()
    assert row.last_seen > seen
    assert timezone.now().timestamp() - client.session[sessions.ACTIVITY_KEY] < 5


def test_pages_carry_the_idle_warning_script_with_the_timeout(client: Client, owner: Any) -> None:
    client.force_login(owner)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'src="/static/js/idle.js" defer data-idle-minutes="30"' in html
    assert f'data-ping-url="{reverse("accounts:session-ping")}"' in html
    login_page = Client().get(reverse("accounts:login")).content.decode()
    assert "idle.js" not in login_page


def test_the_ping_of_a_signed_out_session_does_not_answer_204(client: Client) -> None:
    assert client.get(reverse("accounts:session-ping")).status_code == 302


# The list of sessions ---------------------------------------------------------------------------


def test_the_profile_lists_the_active_sessions(owner: Any, teammate: Any) -> None:
    owner.language = "en"  # the texts below are asserted in English
    owner.save(update_fields=["language"])
    laptop, phone = browser(FIREFOX), browser(CHROME_ANDROID)
    log_in(laptop, owner)
    log_in(phone, owner)
    log_in(browser(), teammate)
    html = laptop.get(reverse("accounts:profile")).content.decode()
    assert "Firefox / Windows" in html
    assert "Chrome / Android" in html
    assert html.count("this browser") == 1
    assert UserSession.objects.filter(user=owner).count() == 2
    assert teammate.email not in html


def test_it_signs_out_one_other_session(owner: Any) -> None:
    laptop, phone = browser(FIREFOX), browser(CHROME_ANDROID)
    log_in(laptop, owner)
    log_in(phone, owner)
    row = UserSession.objects.get(user=owner, user_agent="Chrome / Android")
    response = laptop.post(reverse("accounts:session-end", args=[row.pk]))
    assert response.status_code == 302
    assert phone.get(reverse("trajectories:caseload")).status_code == 302  # signed out
    assert laptop.get(reverse("trajectories:caseload")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.session.ended").count() == 1


def test_sign_out_everywhere_else_keeps_only_this_browser(owner: Any) -> None:
    laptop, phone, tablet = browser(), browser(CHROME_ANDROID), browser()
    for b in (laptop, phone, tablet):
        log_in(b, owner)
    laptop.post(reverse("accounts:sessions-end-others"))
    assert laptop.get(reverse("trajectories:caseload")).status_code == 200
    assert phone.get(reverse("trajectories:caseload")).status_code == 302
    assert tablet.get(reverse("trajectories:caseload")).status_code == 302
    assert UserSession.objects.filter(user=owner).count() == 1
    event = AuditEvent.objects.get(action="accounts.session.ended_others")
    assert event.changes == {"count": 2}


def test_another_users_session_cannot_be_signed_out(owner: Any, outsider: Any) -> None:
    theirs = browser()
    log_in(theirs, outsider)
    row = UserSession.objects.get(user=outsider)
    mine = browser()
    log_in(mine, owner)
    assert mine.post(reverse("accounts:session-end", args=[row.pk])).status_code == 404
    assert theirs.get(reverse("trajectories:caseload")).status_code == 200


def test_the_profile_page_queries_stay_constant_as_sessions_grow(
    owner: Any, django_assert_num_queries: Any
) -> None:
    me = browser()
    log_in(me, owner)
    me.get(reverse("accounts:profile"))  # warm up (session activity already recorded)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert me.get(reverse("accounts:profile")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _n in range(5):
        log_in(browser(), owner)
    assert UserSession.objects.filter(user=owner).count() == 6
    with django_assert_num_queries(few):
        me.get(reverse("accounts:profile"))


def test_ended_sessions_leave_the_list(owner: Any) -> None:
    me = browser()
    log_in(me, owner)
    other = browser(CHROME_ANDROID)
    log_in(other, owner)
    other.post(reverse("accounts:logout"))
    assert list(UserSession.objects.filter(user=owner).values_list("user_agent", flat=True)) == [
        "Firefox / Windows"
    ]
    UserSession.objects.filter(user=owner).update(
        last_seen=timezone.now() - datetime.timedelta(minutes=31)
    )
    assert sessions.active_sessions(owner) == []


# New devices --------------------------------------------------------------------------------


def test_no_mail_on_the_first_login_ever(owner: Any) -> None:
    response = log_in(browser(), owner)
    assert response.status_code == 302
    assert mail.outbox == []
    assert KnownDevice.objects.filter(user=owner).count() == 1
    assert "doorstroom_device" in response.cookies


def test_a_new_browser_is_mailed_once_and_a_known_one_never(owner: Any) -> None:
    laptop = browser(FIREFOX)
    log_in(laptop, owner)
    laptop.post(reverse("accounts:logout"))
    log_in(laptop, owner)  # the same browser again: its device cookie is known
    assert mail.outbox == []

    phone = browser(CHROME_ANDROID)
    log_in(phone, owner)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "Chrome / Android" in message.body
    assert "/account/profile/#sessions" in message.body
    assert AuditEvent.objects.filter(action="accounts.user.new_device_login").count() == 1

    phone.post(reverse("accounts:logout"))
    log_in(phone, owner)
    assert len(mail.outbox) == 1  # known now


def test_the_new_device_mail_is_in_the_users_language(owner: Any, monkeypatch: Any) -> None:
    from django.utils import translation

    languages: list[str | None] = []
    real_render = sessions.render_to_string

    def render(name: str, context: dict[str, Any]) -> str:
        languages.append(translation.get_language())
        return real_render(name, context)

    monkeypatch.setattr(sessions, "render_to_string", render)
    log_in(browser(), owner)
    log_in(browser(CHROME_ANDROID), owner)  # Dutch, the default (nl-be)
    owner.language = "en"
    owner.save(update_fields=["language"])
    log_in(browser(CHROME_ANDROID), owner)
    assert len(mail.outbox) == 2
    assert languages == ["nl-be", "nl-be", "en", "en"]  # subject and body, per mail
    assert "new sign-in to your account" in mail.outbox[1].subject


def test_a_forged_device_cookie_counts_as_a_new_browser(owner: Any) -> None:
    log_in(browser(), owner)
    forged = browser()
    forged.cookies["doorstroom_device"] = "made-up:value"
    log_in(forged, owner)
    assert len(mail.outbox) == 1


def test_agent_summaries() -> None:
    assert sessions.agent_summary(FIREFOX) == "Firefox / Windows"
    assert sessions.agent_summary(CHROME_ANDROID) == "Chrome / Android"
    assert sessions.agent_summary("") == ""
    assert sessions.agent_summary("curl/8.5 <script>") == "curl8.5 script"
