import io
import re

from django.urls import reverse
from pypdf import PdfReader

from jury import bundle as bundles
from jury import services
from jury.models import JuryBundle
from tests.jury.factories import jury_session


def _text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_coordinator_bundle_holds_every_dossier_and_is_kept(
    client, db, django_capture_on_commit_callbacks
):
    jury = jury_session(projects=2, jurors=1)
    client.force_login(jury.coordinator)
    url = reverse("jury:bundle", args=[jury.session.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)

    bundle = JuryBundle.objects.get()
    assert (bundle.state, bundle.done_count, bundle.total) == ("done", 3, 3)
    progress = client.get(reverse("jury:bundle_progress", args=[jury.session.pk])).json()
    assert progress == {"state": "done", "label": "Prêt", "done": 3, "total": 3, "percent": 100}
    response = client.get(reverse("jury:bundle_download", args=[jury.session.pk]))
    text = _text(b"".join(response.streaming_content))
    assert "Dossier du jury" in text
    for project in jury.projects:
        assert project.title in text


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
    client.force_login(member.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jury:bundle", args=[jury.session.pk]))

    response = client.get(reverse("jury:bundle_download", args=[jury.session.pk]))
    text = _text(b"".join(response.streaming_content))
    assert other.title in text
    assert conflicted.title not in text


def test_a_changed_running_order_asks_for_a_new_bundle(db, django_capture_on_commit_callbacks):
    jury = jury_session(projects=2, jurors=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = bundles.bundle_request(session=jury.session, user=jury.coordinator)

    services.audition_move(audition=jury.auditions[1], actor=jury.coordinator, offset=-1)

    assert bundles.bundle_current(session=jury.session, user=jury.coordinator) is None
    with django_capture_on_commit_callbacks(execute=True):
        second = bundles.bundle_request(session=jury.session, user=jury.coordinator)
    assert second.pk != first.pk


def test_the_bundle_is_hidden_from_people_outside_the_session(client, db):
    from tests.factories import UserFactory

    jury = jury_session(projects=1, jurors=1)
    client.force_login(UserFactory(juror=True))

    assert client.get(reverse("jury:bundle", args=[jury.session.pk])).status_code == 404


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
