"""Convocations sent by a background task: recorded by the click, followed on the session page."""

import uuid
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jury import convocations
from jury.models import Audition, ConvocationRun
from tests.factories import member_of
from tests.jury.factories import jury_session
from tests.utils import page


def _jury(projects: int, prefix: str = "asso"):
    jury = jury_session(projects=projects, jurors=2)
    for audition in jury.auditions:
        member_of(audition.project.association, email=f"{prefix}{audition.position}@exemple.test")
    return jury


def _subjects(mailoutbox) -> list[str]:
    return sorted(m.subject.split("] ", 1)[1].split(" :")[0] for m in mailoutbox)


def test_the_click_records_the_sending_and_the_task_sends_every_convocation(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    jury = _jury(2)
    client.force_login(jury.coordinator)
    url = reverse("jury:session_convene", args=[jury.session.pk])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"submission_key": str(uuid.uuid4())}, follow=True)

    shown = page(response)
    # 2 associations and 3 jurors (the president and 2 more).
    assert "Envoi de 5 convocations, avec leur invitation .ics, en cours" in shown
    assert "Envoi des convocations en cours : 0 / 5." in shown
    assert mailoutbox == []
    assert Audition.objects.filter(convened_at__isnull=False).count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    shown = page(client.get(jury.session.get_absolute_url()))
    assert "5 convocations envoyées le" in shown
    assert "en cours" not in shown
    assert len(mailoutbox) == 5
    assert sorted(m.to[0] for m in mailoutbox if "audition" in m.subject) == [
        "asso0@exemple.test",
        "asso1@exemple.test",
    ]
    run = ConvocationRun.objects.get()
    assert (run.done, run.total, run.requested_by) == (5, 5, jury.coordinator)


def test_a_double_click_sends_each_convocation_once(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    jury = _jury(2)
    client.force_login(jury.coordinator)
    url = reverse("jury:session_convene", args=[jury.session.pk])
    key = str(uuid.uuid4())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"submission_key": key})
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"submission_key": key}, follow=True)

    assert ConvocationRun.objects.count() == 1
    assert len(mailoutbox) == 5
    assert "Ces convocations sont déjà parties." in page(again)


def test_a_click_while_the_sending_runs_gives_the_same_sending(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    jury = _jury(2)
    client.force_login(jury.coordinator)
    url = reverse("jury:session_convene", args=[jury.session.pk])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url, {"submission_key": str(uuid.uuid4())})
        again = client.post(url, {"submission_key": str(uuid.uuid4())}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    assert ConvocationRun.objects.count() == 1
    assert "Ces convocations sont déjà en cours d'envoi." in page(again)
    assert len(mailoutbox) == 5


def test_a_stopped_sending_says_so_and_a_new_one_resumes_without_sending_twice(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    jury = _jury(3)
    client.force_login(jury.coordinator)
    url = reverse("jury:session_convene", args=[jury.session.pk])
    real = convocations.send_audition_invitation
    calls = []

    def fails_on_the_second(audition, **kwargs):
        calls.append(audition.pk)
        if len(calls) == 2:
            raise ConnectionError("base indisponible")
        real(audition, **kwargs)

    with (
        mock.patch.object(convocations, "send_audition_invitation", fails_on_the_second),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(url, {"submission_key": str(uuid.uuid4())})

    stopped = ConvocationRun.objects.get()
    assert (stopped.done, stopped.total, stopped.is_failed) == (1, 6, True)
    assert "s'est arrêté après 1 sur 6" in page(client.get(jury.session.get_absolute_url()))
    assert len(mailoutbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"submission_key": str(uuid.uuid4())})

    resumed = ConvocationRun.objects.latest("pk")
    assert (resumed.done, resumed.total, resumed.is_failed) == (5, 5, False)
    audition_mails = sorted(m.to[0] for m in mailoutbox if "audition" in m.subject)
    assert audition_mails == ["asso0@exemple.test", "asso1@exemple.test", "asso2@exemple.test"]


def _convene_queries(client, capture, projects: int) -> tuple[int, list[str]]:
    """The queries of the click, and those of the task, for ``projects`` auditions."""
    jury = _jury(projects, prefix=f"asso-{projects}-")
    client.force_login(jury.coordinator)
    url = reverse("jury:session_convene", args=[jury.session.pk])
    with capture(execute=False) as callbacks, CaptureQueriesContext(connection) as click:
        client.post(url, {"submission_key": str(uuid.uuid4())})
    with capture(execute=True), CaptureQueriesContext(connection) as sending:
        for callback in callbacks:
            callback()
    assert ConvocationRun.objects.get(session=jury.session).done == projects + 3
    return len(click), [query["sql"] for query in sending.captured_queries]


def test_the_click_costs_the_same_whatever_the_auditions_and_the_task_reads_them_once(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    click_small, task_small = _convene_queries(client, django_capture_on_commit_callbacks, 2)
    click_large, task_large = _convene_queries(client, django_capture_on_commit_callbacks, 6)

    assert click_small == click_large
    # Each more audition costs its writes only: its notification, its mail in the queue,
    # its « convened » mark, the progress (and the savepoint around them); nothing is
    # read again.
    per_audition = (len(task_large) - len(task_small)) / 4
    assert per_audition <= 6
    assert len(mailoutbox) == 5 + 9


def test_a_sending_cut_off_long_ago_gives_way_to_a_new_one(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    jury = _jury(1)
    client.force_login(jury.coordinator)
    url = reverse("jury:session_convene", args=[jury.session.pk])
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url, {"submission_key": str(uuid.uuid4())})
    cut_off = ConvocationRun.objects.get()
    ConvocationRun.objects.filter(pk=cut_off.pk).update(
        created_at=cut_off.created_at - convocations.STALLED_AFTER
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"submission_key": str(uuid.uuid4())})

    cut_off.refresh_from_db()
    assert cut_off.is_failed and cut_off.is_finished
    assert ConvocationRun.objects.latest("pk").done == 4
    assert len(mailoutbox) == 4
