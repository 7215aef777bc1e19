"""The admin: login required, staff only, failed logins throttled, every change in history."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from agreements.models import Agreement
from core.dates import written_date
from sources.models import Source

PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def editor(kb):
    return get_user_model().objects.create_user(
        "editor", "editor@example.org", PASSWORD, is_staff=True, is_superuser=True
    )


def login(client, username, password, address="203.0.113.7"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_admin_requires_login(kb, client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = client.get("/admin/agreements/agreement/")
    assert response.status_code == 302


def test_admin_refuses_users_who_are_not_staff(kb, client):
    get_user_model().objects.create_user("reader", "reader@example.org", PASSWORD)
    response = login(client, "reader", PASSWORD)
    assert response.status_code == 200  # the login form again, with an error
    assert "staff account" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_staff_can_log_in(editor, client):
    response = login(client, "editor", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_sixth_attempt_is_refused_even_with_the_right_password(editor, client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(4):
        response = login(client, "editor", f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the form again: "please enter the correct…"
    response = login(client, "editor", "wrong-5")
    assert response.status_code == 429  # the fifth failure locks the account out from this address
    response = login(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower()
    assert client.get("/admin/").status_code == 302  # not logged in


def test_lockout_is_per_address_and_username(editor, client):
    """An attacker at one address cannot lock the editor out everywhere."""
    for attempt in range(5):
        login(client, "editor", f"wrong-{attempt}", address="198.51.100.9")
    assert login(client, "editor", PASSWORD, address="198.51.100.9").status_code == 429
    response = login(client, "editor", PASSWORD, address="203.0.113.50")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_successful_login_resets_the_failure_count(editor, client):
    for attempt in range(4):
        login(client, "editor", f"wrong-{attempt}")
    assert login(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        login(client, "editor", f"wrong-again-{attempt}")
    assert login(client, "editor", PASSWORD).status_code == 302


# --------------------------------------------------------------------------- history


class FormReader(HTMLParser):
    """The values a browser would submit from the page's main form (the admin change form)."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.in_form, self.data = form_id, False, []
        self.select = self.textarea = None
        self.select_value = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file", "image"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            else:
                self.data.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self.select, self.select_value = name, None
        elif tag == "option" and self.select and "selected" in attrs:
            self.data.append((self.select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = [name, None]

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.data.append((self.textarea[0], self.textarea[1] or ""))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            if self.textarea[1] is None:  # browsers drop the newline that starts a textarea's content
                self.textarea[1] = data[1:] if data.startswith("\n") else data
            else:
                self.textarea[1] += data


def form_data(html, form_id):
    reader = FormReader(form_id)
    reader.feed(html)
    data = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data


def change_through_the_admin(client, obj, form_id, changes):
    """Open the change form as a browser would, change some fields, submit it."""
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), form_id)
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


def assert_recorded(obj, before, started):
    assert obj.history.count() == before + 1
    latest = obj.history.latest()
    assert latest.history_user.username == "editor"
    assert latest.history_type == "~"
    assert started <= latest.history_date <= timezone.now()


def test_an_admin_change_is_recorded_with_user_and_time(editor, client):
    source = Source.objects.get(pk="article")
    before = source.history.count()
    assert login(client, "editor", PASSWORD).status_code == 302
    started = timezone.now()
    response = change_through_the_admin(
        client, source, "source_form", {"note": "Checked against the journal's site (reliability test)."}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    source.refresh_from_db()
    assert source.note == "Checked against the journal's site (reliability test)."
    assert_recorded(source, before, started)
    history_page = client.get(f"/admin/sources/source/{source.pk}/history/")
    assert history_page.status_code == 200
    assert "editor" in history_page.content.decode()


def test_an_agreement_with_its_parties_inline_can_be_changed_and_is_recorded(editor, client):
    agreement = Agreement.objects.with_partner("LU").get()
    before = agreement.history.count()
    assert login(client, "editor", PASSWORD).status_code == 302
    started = timezone.now()
    response = change_through_the_admin(
        client, agreement, "agreement_form", {"note": "Checked against the ratification law (reliability test)."}
    )
    assert response.status_code == 302, "the admin refused the unchanged inlines (hidden id inputs missing?)"
    agreement.refresh_from_db()
    assert agreement.note == "Checked against the ratification law (reliability test)."
    assert sorted(country.code for country in agreement.partners) == ["BE", "LU", "NL"]
    assert_recorded(agreement, before, started)


def test_the_public_page_shows_when_the_record_was_last_changed(editor, client):
    agreement = Agreement.objects.with_partner("LU").get()
    assert login(client, "editor", PASSWORD).status_code == 302
    response = change_through_the_admin(
        client, agreement, "agreement_form", {"note": "Checked again (reliability test)."}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    changed = agreement.updated_at
    assert changed.date() == agreement.history.latest().history_date.date()
    page = client.get(f"/en/agreements/{agreement.pk}/").content.decode()
    assert f'Last updated: <time datetime="{changed.date().isoformat()}">{written_date(changed.date())}</time>' in page


def test_behind_a_trusted_proxy_the_attacker_is_locked_out_and_the_admin_is_not(editor, client, settings):
    """Every request comes from the proxy's address (security review, finding M3): the lockout
    must key on the client the proxy names, or five wrong passwords lock out everyone."""
    settings.KB_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"

    def via_proxy(password, client_address):
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": "editor", "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for attempt in range(5):
        via_proxy(f"wrong-{attempt}", "198.51.100.9")
    assert via_proxy(PASSWORD, "198.51.100.9").status_code == 429
    # A forged left-hand address does not help the attacker: the proxy appends the real one.
    assert via_proxy(PASSWORD, "203.0.113.50, 198.51.100.9").status_code == 429
    response = via_proxy(PASSWORD, "203.0.113.50")
    assert response.status_code == 302 and response["Location"] == "/admin/"
