"""The meeting's page, the registration form and a registration's own pages."""

import html
import re
from datetime import time, timedelta

import html5lib
import pytest
import segno
from django.db import connection
from django.http import Http404
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network import qr
from network.enums import RegistrationState
from network.models import Registration
from network.selectors import registrations_of
from network.services.registration import confirm_address, register
from network.tokens import CANCEL, CONFIRM, VIEW, registration_from_token, registration_token
from tests.factories import UserFactory
from tests.network.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

VISITOR = {
    "first_name": "Awa",
    "last_name": "Diallo",
    "email": "awa@exemple.test",
    "organisation": "Les Jardins partagés",
}


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def url(name, registration, action=VIEW):
    return reverse(name, args=[registration_token(registration, action)])


def test_the_meeting_page_shows_when_where_the_programme_and_the_form(client):
    meeting = MeetingFactory(capacity=3, ask_dietary=True, ask_workshop=True)
    ProgrammeItemFactory(meeting=meeting, title="Accueil café", speakers="")
    ProgrammeItemFactory(
        meeting=meeting,
        starts_at=time(14, 0),
        ends_at=time(15, 30),
        title="Atelier jardin",
        speakers="Awa Diallo",
        is_workshop=True,
    )
    RegistrationFactory(meeting=meeting)

    page = text(client.get(meeting.get_absolute_url()))

    assert meeting.title in page
    assert "Hôtel de territoire" in page and "RER C, gare de Vitry-sur-Seine" in page
    assert '14:00</time> – <time datetime="15:30">15:30</time></strong> : Atelier jardin' in page
    assert "Atelier au choix" in page and "Intervenants : Awa Diallo" in page
    assert "Il reste <strong>2 places</strong> sur 3." in page
    for label in ("Prénom", "Adresse e-mail", "Régime alimentaire", "Atelier choisi"):
        assert label in page
    assert "Besoins d'accessibilité" not in page
    assert "M'inscrire</button>" in page


def test_a_full_meeting_offers_the_waitlist(client):
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)

    page = text(client.get(meeting.get_absolute_url()))

    assert "Complet : inscription sur liste d'attente." in page
    assert "M'inscrire sur la liste d'attente</button>" in page


def test_a_draft_is_the_coordinations_only_with_a_banner(client):
    meeting = MeetingFactory(draft=True)

    assert client.get(meeting.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(meeting.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(coordinator=True))
    page = text(client.get(meeting.get_absolute_url()))
    assert "Brouillon :</strong> cette rencontre n'est pas encore publiée." in page
    assert '<form method="post" action="/reseau/' not in page


def test_a_past_meeting_keeps_its_programme_and_shows_its_material(client):
    meeting = MeetingFactory(past=True, material="Les supports : https://exemple.test/supports")
    ProgrammeItemFactory(meeting=meeting, title="Table ronde des lauréats")

    page = text(client.get(meeting.get_absolute_url()))

    assert "Table ronde des lauréats" in page
    assert '<a href="https://exemple.test/supports" rel="nofollow">' in page
    assert "Cette rencontre a déjà eu lieu : les inscriptions sont closes." in page
    assert "M'inscrire" not in page


def test_a_visitor_registers_and_is_sent_to_their_registration_page(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:register", args=[meeting.slug]), VISITOR)

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response.url == url("network:registration", registration)
    page = text(client.get(response.url))
    assert "Presque fini : ouvrez le lien envoyé à awa@exemple.test" in page
    assert "Adresse à confirmer" in page
    assert [mail.to for mail in mailoutbox] == [["awa@exemple.test"]]


def test_a_bad_address_is_refused_in_french_and_the_form_keeps_what_was_typed(client):
    meeting = MeetingFactory()

    response = client.post(
        reverse("network:register", args=[meeting.slug]), {**VISITOR, "email": "awa@exemple"}
    )

    page = text(response)
    assert response.status_code == 400
    assert "Cette adresse e-mail n'est pas complète" in page
    assert 'value="Diallo"' in page and 'value="Les Jardins partagés"' in page
    assert not Registration.objects.exists()


def test_the_same_address_twice_is_told_what_to_do(client):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, email="awa@exemple.test")

    response = client.post(
        reverse("network:register", args=[meeting.slug]), {**VISITOR, "email": "AWA@exemple.test"}
    )

    assert response.status_code == 400
    assert "Cette adresse e-mail est déjà inscrite à cette rencontre. Nous venons de renvoyer" in (
        text(response)
    )
    assert Registration.objects.count() == 1


def test_registering_after_closing_is_refused(client):
    meeting = MeetingFactory(closed=True)

    response = client.post(reverse("network:register", args=[meeting.slug]), VISITOR)

    assert response.status_code == 400
    assert "Les inscriptions sont closes depuis le" in text(response)
    assert not Registration.objects.exists()


def test_a_bot_posting_again_and_again_gets_a_french_429(client, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "meeting_registration_ip": (3, timedelta(hours=1)),
    }
    meeting = MeetingFactory()
    address = reverse("network:register", args=[meeting.slug])

    codes = [
        client.post(address, {**VISITOR, "email": f"bot{n}@exemple.test"}).status_code
        for n in range(5)
    ]

    assert codes == [302, 302, 302, 429, 429]
    last = client.post(address, VISITOR)
    assert "Trop d'inscriptions depuis votre connexion" in text(last)
    html5lib.HTMLParser(strict=True).parse(last.content)
    assert Registration.objects.count() == 3


def test_a_signed_in_person_registers_in_one_click(client):
    meeting = MeetingFactory(capacity=1)
    user = UserFactory(first_name="Nadia", last_name="Haddad")
    client.force_login(user)
    page = text(client.get(meeting.get_absolute_url()))
    assert "Vous vous inscrivez avec votre compte : <strong>Nadia Haddad</strong>" in page
    assert "Prénom" not in page

    response = client.post(reverse("network:register", args=[meeting.slug]), {})

    registration = Registration.objects.get()
    assert registration.user == user and registration.state == RegistrationState.CONFIRMED
    assert response.url == url("network:registration", registration)
    page = text(client.get(meeting.get_absolute_url()))
    assert "Votre inscription : <strong>Inscrit·e</strong>" in page
    assert "M'inscrire" not in page
    cancel = url("network:registration_cancel", registration, CANCEL)
    assert f'href="{cancel}">Annuler mon inscription</a>' in page


def test_confirm_and_cancel_links_show_a_button_and_act_on_post_only(
    client, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    registration = RegistrationFactory(meeting=meeting, pending=True)
    confirm = url("network:registration_confirm", registration, CONFIRM)

    assert client.get(confirm).status_code == 200
    registration.refresh_from_db()
    assert registration.state == RegistrationState.REGISTERED

    response = client.post(confirm, {"confirmed": "1"})
    registration.refresh_from_db()
    assert registration.state == RegistrationState.WAITLISTED
    page = text(client.get(response.url))
    assert "vous êtes n° 1 sur la liste d'attente" in page
    assert "Liste d'attente</strong> : n° 1 sur la liste d'attente" in page

    # A second click on the old link: it says so, nothing moves.
    again = client.get(confirm)
    assert again.status_code == 302
    assert "déjà confirmée" in text(client.get(again.url))

    cancel = url("network:registration_cancel", registration, CANCEL)
    assert "Annuler mon inscription</button>" in text(client.get(cancel))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel, {"confirmed": "1"})
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CANCELLED


def test_the_page_of_a_seat_has_the_qr_code_the_code_and_the_invitation(client):
    registration = RegistrationFactory()

    page = text(client.get(url("network:registration", registration)))
    svg = client.get(url("network:registration_qr", registration))
    ics = client.get(url("network:registration_ics", registration))

    assert registration.checkin_code in page
    assert url("network:registration_qr", registration) in page
    assert svg["Content-Type"] == "image/svg+xml"
    assert f"Code QR d'émargement {registration.checkin_code}" in svg.content.decode()
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content
    assert qr.checkin_url(registration) == (
        f"http://testserver/espace/reseau/rencontres/{registration.meeting_id}/emargement/"
        f"{registration.checkin_code}/"
    )
    # The drawing is the QR code of that address, nothing else.
    drawn = segno.make_qr(qr.checkin_url(registration), error="m")
    assert svg.content.decode() == qr.qr_svg(registration)
    path = re.compile(r' d="([^"]+)"')
    assert path.findall(svg.content.decode()) == path.findall(drawn.svg_inline(border=4))


def test_a_waitlisted_registration_has_no_invitation_nor_qr_code(client):
    registration = RegistrationFactory(waitlisted=True)

    assert client.get(url("network:registration_ics", registration)).status_code == 404
    assert client.get(url("network:registration_qr", registration)).status_code == 404


@pytest.mark.parametrize(
    "name", ["network:registration", "network:registration_ics", "network:registration_qr"]
)
def test_a_forged_or_altered_link_answers_404(client, name):
    registration = RegistrationFactory()
    token = registration_token(registration)
    other = RegistrationFactory(meeting=registration.meeting)
    pk, signature = token.split(".")

    forged = [
        f"{other.pk}.{signature}",
        f"{pk}.{signature[:-1]}x",
        pk,
        "abc.def",
        registration_token(registration, CANCEL),
    ]

    assert client.get(reverse(name, args=[token])).status_code == 200
    for bad in forged:
        assert client.get(reverse(name, args=[bad])).status_code == 404, bad


def test_a_page_link_does_not_confirm_nor_cancel(client):
    registration = RegistrationFactory(pending=True)
    view = registration_token(registration)

    assert client.get(reverse("network:registration_confirm", args=[view])).status_code == 404
    assert client.post(reverse("network:registration_cancel", args=[view])).status_code == 404
    registration.refresh_from_db()
    assert registration.state == RegistrationState.REGISTERED


def test_links_mailed_before_a_new_registration_no_longer_work():
    registration = RegistrationFactory(cancelled=True)
    old = registration_token(registration)
    register(meeting=registration.meeting, first_name="A", last_name="B", email=registration.email)

    with pytest.raises(Http404):
        registration_from_token(old)


def _count(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_meeting_page_costs_the_same_with_one_or_many_items_and_registrations(
    client, signed_in
):
    meeting = MeetingFactory(ask_workshop=True, capacity=100)
    ProgrammeItemFactory(meeting=meeting, is_workshop=True)
    RegistrationFactory(meeting=meeting)
    if signed_in:
        client.force_login(UserFactory())
    with_one = _count(client, meeting.get_absolute_url())

    ProgrammeItemFactory.create_batch(6, meeting=meeting, is_workshop=True)
    RegistrationFactory.create_batch(8, meeting=meeting)
    RegistrationFactory.create_batch(3, meeting=meeting, waitlisted=True)

    assert _count(client, meeting.get_absolute_url()) == with_one


def test_my_registrations_list_costs_the_same_with_one_or_many(client):
    user = UserFactory()
    RegistrationFactory(user=user, email=user.email)

    def rendered_queries():
        with CaptureQueriesContext(connection) as queries:
            html = render_to_string(
                "network/_my_registrations.html", {"my_registrations": registrations_of(user)}
            )
        return len(queries), html

    with_one, html = rendered_queries()
    assert "voir mon inscription" in html
    for _ in range(4):
        RegistrationFactory(user=user, email=f"x{_}@exemple.test")
    with_five, html = rendered_queries()

    assert with_five == with_one
    assert html.count("voir mon inscription") == 5


def test_the_visitors_meeting_page_is_cached_and_its_form_needs_no_token(
    client, django_assert_num_queries
):
    meeting = MeetingFactory(capacity=3)
    first = client.get(meeting.get_absolute_url())

    with django_assert_num_queries(0):
        again = client.get(meeting.get_absolute_url())

    assert again.content == first.content
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert "M'inscrire" in text(first)
    assert "public" in again["Cache-Control"]


def test_a_visitor_registers_from_the_cached_page_without_a_csrf_cookie(
    django_capture_on_commit_callbacks,
):
    meeting = MeetingFactory(capacity=3)
    browser = Client(enforce_csrf_checks=True)
    browser.get(meeting.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("network:register", args=[meeting.slug]), VISITOR)

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.email == "awa@exemple.test"
    # The address confirmed, a seat is taken: the next visitor's page is rendered again.
    confirm_address(registration=registration)
    assert "2 places" in text(Client().get(meeting.get_absolute_url()))


def test_a_signed_in_person_s_one_click_post_still_needs_the_token():
    meeting = MeetingFactory(capacity=3)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())

    forged = browser.post(reverse("network:register", args=[meeting.slug]), {})

    assert forged.status_code == 403
    assert Registration.objects.count() == 0
    page = browser.get(meeting.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert (
        browser.post(
            reverse("network:register", args=[meeting.slug]), {"csrfmiddlewaretoken": token}
        ).status_code
        == 302
    )
    assert Registration.objects.count() == 1
