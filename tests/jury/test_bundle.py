"""The jury's dossier as one PDF: a core.files file shared by those who read the same projects."""

import io
import re
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from core.models import BackgroundFile, Event
from jury import bundle as bundles
from jury import services
from tests.factories import UserFactory
from tests.jury.factories import jury_session
from tests.utils import page


def _text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_coordinator_bundle_holds_every_dossier_and_is_kept(
    client, db, django_capture_on_commit_callbacks
):
    jury = jury_session(projects=2, jurors=1)
    client.force_login(jury.coordinator)
    url = reverse("jury:bundle", args=[jury.session.pk])
    assert "Préparer le dossier du jury" in page(client.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)

    bundle = BackgroundFile.objects.get()
    assert (bundle.kind, bundle.state, bundle.done, bundle.total) == ("jury-bundle", "ready", 3, 3)
    shown = page(client.get(url))
    assert "Télécharger dossier-du-jury-" in shown
    assert "Préparer le dossier du jury" not in shown
    response = client.get(reverse("jury:bundle_download", args=[jury.session.pk]))
    text = _text(b"".join(response.streaming_content))
    assert "Dossier du jury" in text
    for project in jury.projects:
        assert project.title in text


def test_the_page_shows_the_progress_then_the_link(client, db, django_capture_on_commit_callbacks):
    jury = jury_session(projects=2, jurors=1)
    client.force_login(jury.coordinator)
    url = reverse("jury:bundle", args=[jury.session.pk])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, follow=True)
    shown = page(response)
    assert "La préparation du dossier du jury a commencé." in shown
    assert "En attente, 0 / 3" in shown
    download = client.get(reverse("jury:bundle_download", args=[jury.session.pk]))
    assert download.status_code == 302
    assert "pas encore prêt" in page(client.get(download.url))

    for callback in callbacks:
        callback()
    assert "Télécharger dossier-du-jury-" in page(client.get(url))


def test_a_juror_without_conflict_shares_the_coordination_bundle(
    client, db, django_capture_on_commit_callbacks
):
    jury = jury_session(projects=2, jurors=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = bundles.bundle_request(session=jury.session, user=jury.coordinator)

    client.force_login(jury.jurors[0].user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jury:bundle", args=[jury.session.pk]))

    assert BackgroundFile.objects.get() == first
    response = client.get(reverse("jury:bundle_download", args=[jury.session.pk]))
    assert response["Content-Type"] == "application/pdf"


def test_a_juror_bundle_leaves_out_the_conflicted_project(
    client, db, django_capture_on_commit_callbacks
):
    jury = jury_session(projects=2, jurors=1)
    member = jury.jurors[0]
    conflicted, other = jury.projects
    services.declarations_save(
        member=member,
        entries=[(conflicted, True, "Trésorier de l'association"), (other, False, "")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        bundles.bundle_request(session=jury.session, user=jury.coordinator)
    client.force_login(member.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jury:bundle", args=[jury.session.pk]))

    assert BackgroundFile.objects.count() == 2
    response = client.get(reverse("jury:bundle_download", args=[jury.session.pk]))
    text = _text(b"".join(response.streaming_content))
    assert other.title in text
    assert conflicted.title not in text


def test_a_changed_running_order_asks_for_a_new_bundle(db, django_capture_on_commit_callbacks):
    jury = jury_session(projects=2, jurors=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = bundles.bundle_request(session=jury.session, user=jury.coordinator)
    assert bundles.bundle_current(session=jury.session, user=jury.coordinator) == first

    services.audition_move(audition=jury.auditions[1], actor=jury.coordinator, offset=-1)

    assert bundles.bundle_current(session=jury.session, user=jury.coordinator) is None
    with django_capture_on_commit_callbacks(execute=True):
        second = bundles.bundle_request(session=jury.session, user=jury.coordinator)
    assert second.pk != first.pk


def test_a_failed_bundle_is_logged_and_offered_again(
    client, db, django_capture_on_commit_callbacks
):
    jury = jury_session(projects=1, jurors=1)
    client.force_login(jury.coordinator)
    url = reverse("jury:bundle", args=[jury.session.pk])

    with (
        mock.patch.object(bundles, "render_pdf", side_effect=RuntimeError("WeasyPrint a calé")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(url)

    failed = BackgroundFile.objects.get()
    assert failed.is_failed
    assert [(e.action, e.to_state) for e in Event.objects.for_object(failed)] == [
        ("start", "running"),
        ("fail", "failed"),
    ]
    shown = page(client.get(url))
    assert "La préparation a échoué" in shown
    assert "Relancer la préparation" in shown
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert BackgroundFile.objects.filter(state="ready").count() == 1


def test_the_bundle_is_hidden_from_people_outside_the_session(client, db):
    jury = jury_session(projects=1, jurors=1)
    client.force_login(UserFactory(juror=True))

    assert client.get(reverse("jury:bundle", args=[jury.session.pk])).status_code == 404
    download = client.get(reverse("jury:bundle_download", args=[jury.session.pk]))
    assert download.status_code == 404


def test_bundle_pages_are_numbered_over_the_whole_file(
    client, db, django_capture_on_commit_callbacks
):
    jury = jury_session(projects=2, jurors=1)
    client.force_login(jury.coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jury:bundle", args=[jury.session.pk]))

    response = client.get(reverse("jury:bundle_download", args=[jury.session.pk]))
    pages = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    total = len(pages)
    assert total >= 3  # the cover and at least a page per dossier
    feet = [
        re.findall(r"Page (\d+) / (\d+)", " ".join(page.extract_text().split())) for page in pages
    ]
    assert feet == [[(str(number), str(total))] for number in range(1, total + 1)]


def _page_queries(client, projects: int) -> int:
    jury = jury_session(projects=projects, jurors=1)
    client.force_login(jury.coordinator)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("jury:bundle", args=[jury.session.pk])).status_code == 200
    return len(queries)


def test_the_bundle_page_reads_no_dossier_and_stays_flat(client, db):
    assert _page_queries(client, 1) == _page_queries(client, 4)
