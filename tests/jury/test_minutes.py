"""The minutes built in the background (core.files): asked for once, shared, rebuilt on change."""

import io
import re
from decimal import Decimal

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from core.models import BackgroundFile
from core.pdf import render_pdf
from jury import documents, services
from jury.enums import Decision
from tests.jury.factories import download_minutes, everyone_present, jury_session
from tests.utils import page

PRODUCED = re.compile(r"Document produit le .*$")


def _pdf_text(content: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return PRODUCED.sub("", " ".join(text.split()))


def _scored(jury, *, conflict=False):
    """Every juror scores every project (the last juror declares a conflict on the first);
    every project gets a proposal."""
    grid = list(jury.session.edition.criteria.order_by("position", "pk"))
    for member in jury.jurors:
        for index, project in enumerate(jury.projects):
            recused = conflict and member == jury.jurors[-1] and index == 0
            services.declaration_save(
                member=member,
                project=project,
                has_conflict=recused,
                reason="Trésorière de l'association." if recused else "",
            )
            if recused:
                continue
            services.evaluation_save(
                member=member,
                project=project,
                scores={c.pk: {"value": "3", "comment": "Solide."} for c in grid},
                general_comment="",
                version=None,
                submit=True,
            )
    for index, project in enumerate(jury.projects):
        services.proposal_save(
            session=jury.session,
            project=project,
            actor=jury.coordinator,
            decision=Decision.LAUREATE if index == 0 else Decision.NOT_SELECTED,
            amount=Decimal("5000") if index == 0 else Decimal("0"),
            justification=f"Justification n° {index}.",
        )


def test_the_built_minutes_carry_what_the_request_used_to_render(
    client, db, django_capture_on_commit_callbacks
):
    jury = jury_session(projects=2, jurors=2)
    _scored(jury, conflict=True)
    client.force_login(jury.coordinator)

    built = download_minutes(client, jury.session, django_capture_on_commit_callbacks)

    before = render_pdf("jury/pdf/minutes.html", documents.minutes_context(jury.session))
    text = _pdf_text(b"".join(built.streaming_content))
    assert text == _pdf_text(before)
    for expected in (
        "Procès-verbal du jury",
        "Trésorière de l'association.",
        "Justification n° 1.",
    ):
        assert expected in text


def test_a_double_post_asks_once_and_the_page_shows_progress_then_the_link(
    client, db, django_capture_on_commit_callbacks
):
    jury = jury_session(projects=1, jurors=1)
    client.force_login(jury.coordinator)
    url = reverse("jury:minutes", args=[jury.session.pk])
    assert "Préparer le procès-verbal" in page(client.get(url))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.post(url, follow=True)
        client.post(url)

    assert BackgroundFile.objects.filter(kind="jury-minutes").count() == 1
    shown = page(first)
    assert "La préparation du procès-verbal a commencé." in shown
    assert "En attente, 0 / 2" in shown
    assert "Préparer le procès-verbal" not in shown
    for callback in callbacks:
        callback()
    ready = page(client.get(url))
    assert f"Télécharger proces-verbal-jury-{jury.session.edition.year}-{jury.session.pk}.pdf" in (
        ready
    )


def test_the_same_minutes_serve_the_president_until_something_they_show_changes(
    client, db, django_capture_on_commit_callbacks
):
    jury = jury_session(projects=1, jurors=1)
    _scored(jury)
    services.session_close(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )
    jury.session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        first = documents.minutes_request(session=jury.session, user=jury.coordinator)

    client.force_login(jury.president.user)
    response = download_minutes(client, jury.session, django_capture_on_commit_callbacks)
    assert response["Content-Type"] == "application/pdf"
    assert BackgroundFile.objects.get(kind="jury-minutes") == first

    # A name on the minutes changes: they are prepared again.
    jury.jurors[0].user.last_name = "Nouveau-Nom"
    jury.jurors[0].user.save()
    assert documents.minutes_current(session=jury.session) is None
    response = download_minutes(client, jury.session, django_capture_on_commit_callbacks)
    assert "Nouveau-Nom" in _pdf_text(b"".join(response.streaming_content))
    assert BackgroundFile.objects.filter(kind="jury-minutes").count() == 2


def test_a_new_proposal_makes_new_minutes(db, django_capture_on_commit_callbacks):
    jury = jury_session(projects=2, jurors=1)
    with django_capture_on_commit_callbacks(execute=True):
        documents.minutes_request(session=jury.session, user=jury.coordinator)
    assert documents.minutes_current(session=jury.session) is not None

    services.proposal_save(
        session=jury.session,
        project=jury.projects[0],
        actor=jury.coordinator,
        decision=Decision.NOT_SELECTED,
        amount=Decimal("0"),
        justification="Trop tôt.",
    )

    assert documents.minutes_current(session=jury.session) is None


def _queries_of_the_minutes(projects: int) -> int:
    jury = jury_session(projects=projects, jurors=2)
    _scored(jury, conflict=True)
    with CaptureQueriesContext(connection) as queries:
        documents.minutes_source_hash(jury.session)
        render_to_string("jury/pdf/minutes.html", documents.minutes_context(jury.session))
    return len(queries)


def test_the_minutes_queries_do_not_grow_with_the_projects(db):
    assert _queries_of_the_minutes(1) == _queries_of_the_minutes(4)


def _page_queries(client, projects: int) -> int:
    jury = jury_session(projects=projects, jurors=2)
    _scored(jury)
    client.force_login(jury.coordinator)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("jury:minutes", args=[jury.session.pk])).status_code == 200
    return len(queries)


def test_the_minutes_page_stays_flat(client, db):
    assert _page_queries(client, 1) == _page_queries(client, 4)
