"""Reminders of reports due: before the due date, then once late; never the same one twice."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from laureates.enums import ReportState
from laureates.models import Report, ReportReminder
from laureates.services.followup import reminder_due
from tests.factories import AssociationFactory, member_of
from tests.laureates.followup_factories import ReportFactory, followup_laureate

DUE = datetime.date(2026, 6, 30)
DAY = datetime.timedelta(days=1)
PREFIX = "[Label Actions Innovantes] "


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DUE - 15 * DAY, None),
        (DUE - 14 * DAY, "before-14"),
        (DUE - 4 * DAY, "before-14"),
        (DUE - 3 * DAY, "before-3"),
        (DUE, "before-3"),
        (DUE + DAY, "late"),
        (DUE + 90 * DAY, "late"),
    ],
)
def test_the_reminder_a_report_calls_for_each_day(today, expected):
    report = Report(due_on=DUE)

    assert reminder_due(report, today=today, days=(14, 3)) == expected


@pytest.mark.parametrize("state", [ReportState.SUBMITTED, ReportState.ACCEPTED])
def test_a_report_handed_in_calls_for_no_reminder(state):
    report = Report(due_on=DUE, state=state)

    assert reminder_due(report, today=DUE + DAY, days=(14, 3)) is None


def _run(*args):
    out = StringIO()
    call_command("send_followup_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def reports(db):
    """Two laureates: one report due in 3 days, one late since yesterday; others quiet."""
    soon = followup_laureate(
        association=AssociationFactory(name="Les Jardins"), title="Jardin partagé"
    )
    member_of(soon.association, email="jardin@exemple.test")
    late = followup_laureate(title="Repair café")
    member_of(late.association, email="repair@exemple.test")
    return {
        "soon": ReportFactory(laureate=soon, due_on=DUE + 3 * DAY),
        "late": ReportFactory(laureate=late, due_on=DUE - DAY, state=ReportState.RETURNED),
        # Handed in, or not due for a while: nothing.
        "submitted": ReportFactory(laureate=soon, due_on=DUE - DAY, submitted=True, final=True),
        "far": ReportFactory(laureate=late, due_on=DUE + 60 * DAY, final=True),
    }


def test_reminders_run_twice_send_one_mail_per_due_report(
    reports, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _run("--date", DUE.isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        second = _run("--date", DUE.isoformat())

    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        (
            "jardin@exemple.test",
            f"{PREFIX}Rappel : bilan à remettre le 3 juillet 2026 — Jardin partagé",
        ),
        ("repair@exemple.test", f"{PREFIX}Bilan en retard — Repair café"),
    ]
    soon_mail = next(m for m in mailoutbox if m.to == ["jardin@exemple.test"])
    assert "est à remettre le 3 juillet 2026, dans 3 jours." in soon_mail.body
    assert f"/espace/laureats/{reports['soon'].laureate_id}/suivi/bilans/" in soon_mail.body
    assert first == (
        "Rappels de bilans du 30 juin 2026 : 2 mails envoyés (1 avant l'échéance, 1 en retard).\n"
    )
    assert second == (
        "Rappels de bilans du 30 juin 2026 : 0 mails envoyés (0 avant l'échéance, 0 en retard).\n"
    )
    assert sorted(ReportReminder.objects.values_list("report__laureate__title", "reminder")) == [
        ("Jardin partagé", "before-3"),
        ("Repair café", "late"),
    ]


def test_the_late_reminder_follows_the_earlier_ones_once(
    reports, django_capture_on_commit_callbacks, mailoutbox
):
    for day in [DUE - 20 * DAY, DUE - 10 * DAY, DUE + DAY, DUE + 4 * DAY, DUE + 5 * DAY]:
        with django_capture_on_commit_callbacks(execute=True):
            _run("--date", day.isoformat())

    soon = [m.subject for m in mailoutbox if m.to == ["jardin@exemple.test"]]
    assert soon == [
        f"{PREFIX}Rappel : bilan à remettre le 3 juillet 2026 — Jardin partagé",  # J-14
        f"{PREFIX}Rappel : bilan à remettre le 3 juillet 2026 — Jardin partagé",  # J-3
        f"{PREFIX}Bilan en retard — Jardin partagé",
    ]


def test_dry_run_sends_and_records_nothing(reports, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        out = _run("--date", DUE.isoformat(), "--dry-run")

    assert out == (
        "Rappels de bilans du 30 juin 2026 : 2 mails à envoyer (1 avant l'échéance, "
        "1 en retard) (simulation).\n"
    )
    assert mailoutbox == []
    assert ReportReminder.objects.count() == 0


def test_a_bad_date_is_refused_in_french(db):
    with pytest.raises(CommandError, match="Date illisible : « 30/06/2026 »"):
        _run("--date", "30/06/2026")


def test_the_scheduler_job_sends_the_day_reminders_once(
    reports, django_capture_on_commit_callbacks, mailoutbox
):
    from core.schedule import registered_jobs

    [job] = [job for job in registered_jobs() if job.name == "rappels-bilans"]
    morning = datetime.datetime(2026, 6, 30, 7, 0, tzinfo=datetime.UTC)

    with django_capture_on_commit_callbacks(execute=True):
        first = job.run(morning)
    with django_capture_on_commit_callbacks(execute=True):
        second = job.run(morning + datetime.timedelta(hours=1))

    assert first == (
        "Rappels de bilans du 30 juin 2026 : 2 mails envoyés (1 avant l'échéance, 1 en retard)."
    )
    assert second.startswith("Rappels de bilans du 30 juin 2026 : 0 mails envoyés")
    assert len(mailoutbox) == 2
