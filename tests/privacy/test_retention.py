"""The retention periods: one source for the page and the job; a dry run changes nothing."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from core import schedule
from core.models import Event, MailStatus, OutgoingMail, RateLimitHit
from jury.models import Evaluation, Score
from network.models import Registration
from notifications.models import Mailing, OutboxMessage
from privacy import retention
from submissions.enums import ProjectState
from submissions.models import Attachment, CoachingEntry, DepositSnapshot, Message, Project
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.jury.factories import CriterionFactory, JuryMemberFactory, JurySessionFactory
from tests.network.factories import MeetingFactory, RegistrationFactory
from tests.submissions.factories import (
    CoachingEntryFactory,
    EditionFactory,
    MessageFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def _meeting(ended_days_ago: int):
    starts = _ago(days=ended_days_ago) - timedelta(hours=7)
    return MeetingFactory(
        starts_at=starts,
        ends_at=starts + timedelta(hours=7),
        registration_opens_at=starts - timedelta(days=30),
        registration_closes_at=starts - timedelta(days=2),
    )


def _old_dossier(edition, author):
    """A dossier that was not selected: its thread, notes, file, deposit and jury comments."""
    project = ProjectFactory(
        association=AssociationFactory(),
        deposited=True,
        complete=True,
        edition=edition,
        state=ProjectState.NOT_SELECTED,
        created_by=author,
        title="Repair café des Navigateurs",
    )
    MessageFactory(project=project, author=author)
    CoachingEntryFactory(project=project)
    attachment = Attachment(
        project=project,
        kind="statuts",
        original_name="statuts.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by=author,
    )
    attachment.file.save("statuts.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    member = JuryMemberFactory(session=JurySessionFactory(edition=edition))
    evaluation = Evaluation.objects.create(
        member=member, project=project, state="submitted", general_comment="Trop cher."
    )
    Score.objects.create(
        evaluation=evaluation,
        criterion=CriterionFactory(edition=edition),
        value=Decimal("3"),
        comment="Les habitants sont peu associés.",
    )
    return project, attachment


@pytest.fixture
def dataset():
    """A known dataset: for each period, what is past it and what is not yet."""
    this_year = timezone.localdate().year
    old_edition = EditionFactory(year=this_year - 6, closed=True)
    recent_edition = EditionFactory(year=this_year - 5, closed=True)
    coordinator = UserFactory(coordinator=True, last_login=_ago(days=4 * 365))
    asleep = UserFactory(last_login=_ago(days=3 * 365 + 2), first_name="Endormi")
    never = UserFactory(last_login=None)
    User.objects.filter(pk=never.pk).update(date_joined=_ago(days=4 * 365))
    awake = UserFactory(last_login=_ago(days=2 * 365))
    association = AssociationFactory()
    author = member_of(association)

    old, old_attachment = _old_dossier(old_edition, author)
    recent, _ = _old_dossier(recent_edition, author)
    laureate = ProjectFactory(
        association=association,
        deposited=True,
        edition=old_edition,
        state=ProjectState.LAUREATE,
    )
    MessageFactory(project=laureate, author=author)
    forgotten_draft = ProjectFactory(association=association, title="Brouillon oublié")
    Project.objects.filter(pk=forgotten_draft.pk).update(updated_at=_ago(days=6 * 365))
    ProjectFactory(association=association, title="Brouillon récent")

    old_meeting, recent_meeting = _meeting(ended_days_ago=400), _meeting(ended_days_ago=30)
    old_registrations = [
        RegistrationFactory(meeting=old_meeting, user=author, dietary_needs="Végétarien"),
        RegistrationFactory(meeting=old_meeting, organisation="Centre social"),
    ]
    recent_registration = RegistrationFactory(meeting=recent_meeting)

    for model, extra in ((AccessAttempt, {"failures_since_start": 1}), (AccessLog, {})):
        old_log = model.objects.create(username="x@exemple.test", ip_address="127.0.0.5", **extra)
        model.objects.filter(pk=old_log.pk).update(attempt_time=_ago(days=400))
        model.objects.create(username="y@exemple.test", ip_address="127.0.0.6", **extra)
    RateLimitHit.objects.create(name="signup_ip", key="a" * 64, expires_at=_ago(minutes=1))
    RateLimitHit.objects.create(
        name="signup_ip", key="b" * 64, expires_at=timezone.now() + timedelta(hours=1)
    )
    _mails()
    return {
        "coordinator": coordinator,
        "asleep": asleep,
        "never": never,
        "awake": awake,
        "old": old,
        "old_attachment": old_attachment,
        "recent": recent,
        "laureate": laureate,
        "forgotten_draft": forgotten_draft,
        "old_registrations": old_registrations,
        "recent_registration": recent_registration,
        "old_edition_year": this_year - 6,
    }


def _mail(subject: str, status: str, *, days: int) -> OutgoingMail:
    when = _ago(days=days)
    return OutgoingMail.objects.create(
        to=["awa@exemple.test"],
        subject=subject,
        text="Bonjour",
        status=status,
        created_at=when,
        last_attempt_at=when,
        sent_at=when if status == MailStatus.SENT else None,
    )


def _mails():
    """The queue's copies: two past their 30 days, and those kept (recent, waiting, mailed)."""
    _mail("Accusé de dépôt", MailStatus.SENT, days=31)
    _mail("Jamais parti", MailStatus.FAILED, days=40)
    _mail("Tout récent", MailStatus.SENT, days=29)
    _mail("Encore en attente", MailStatus.QUEUED, days=40)
    mailing = Mailing.objects.create(kind="reminder", title="Relance", state="sent")
    OutboxMessage.objects.create(
        mailing=mailing,
        email="awa@exemple.test",
        subject="Relance",
        text="Bonjour",
        html="",
        link="/",
        mail=_mail("Relance", MailStatus.SENT, days=60),
    )


def _counts(outcomes):
    return {outcome.period.key: (outcome.count, outcome.kept) for outcome in outcomes}


EXPECTED = {
    # The account asleep for 3 years and the one that never signed in in 4; the only
    # coordination account, asleep too, is kept.
    "accounts": (2, 1),
    # The old edition's non-selected dossier and the draft left 6 years ago.
    "dossiers": (2, 0),
    "registrations": (2, 0),
    # One connection and one failed attempt older than a year.
    "sign_in_log": (2, 0),
    "rate_limits": (1, 0),
    # The sent mail and the failed one older than 30 days (not the mailing's).
    "outgoing_mails": (2, 0),
}


def _fingerprint():
    return {
        "users": sorted(User.objects.values_list("pk", "email", "first_name", "erased_at")),
        "messages": Message.objects.count(),
        "coaching": CoachingEntry.objects.count(),
        "attachments": Attachment.objects.count(),
        "snapshots": sorted(DepositSnapshot.objects.values_list("pk", "pdf", "deposited_by")),
        "comments": sorted(Score.objects.values_list("pk", "comment")),
        "projects": sorted(Project.objects.values_list("pk", "created_by", "updated_by")),
        "registrations": sorted(Registration.objects.values_list("pk", "email", "user")),
        "logs": (AccessAttempt.objects.count(), AccessLog.objects.count()),
        "rate_limits": RateLimitHit.objects.count(),
        "mails": sorted(OutgoingMail.objects.values_list("subject", flat=True)),
        "events": Event.objects.count(),
    }


def test_a_dry_run_counts_and_changes_nothing(dataset):
    before = _fingerprint()

    outcomes = retention.apply_retention(dry_run=True)

    assert _counts(outcomes) == EXPECTED
    assert _fingerprint() == before


def test_the_run_anonymises_what_is_past_its_period_and_nothing_else(
    dataset, django_capture_on_commit_callbacks
):
    storage, name = dataset["old_attachment"].file.storage, dataset["old_attachment"].file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = retention.apply_retention()

    assert _counts(outcomes) == EXPECTED
    # Accounts: the sleepers are erased, the awake one and the last coordinator stay.
    erased = set(User.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == {dataset["asleep"].pk, dataset["never"].pk}
    assert Event.objects.filter(workflow="account", action="erase").count() == 2
    assert set(Event.objects.filter(workflow="account").values_list("reason", "actor_id")) == {
        ("Durée de conservation dépassée", None)
    }
    # The old non-selected dossier keeps what the statistics need, loses what is personal.
    old = Project.objects.get(pk=dataset["old"].pk)
    assert (old.title, old.state, old.amount_requested, old.created_by_id) == (
        "Repair café des Navigateurs",
        ProjectState.NOT_SELECTED,
        Decimal("2500.00"),
        None,
    )
    assert Message.objects.filter(project=old).count() == 0
    assert CoachingEntry.objects.filter(project=old).count() == 0
    assert Attachment.objects.filter(project=old).count() == 0
    assert not storage.exists(name)
    assert DepositSnapshot.objects.get(project=old).deposited_by_id is None
    evaluation = Evaluation.objects.get(project=old)
    assert (evaluation.general_comment, evaluation.state) == ("", "submitted")
    assert list(Score.objects.filter(evaluation=evaluation).values_list("value", "comment")) == [
        (Decimal("3.0"), "")
    ]
    # The recent edition's dossier and the laureate keep everything.
    for key in ("recent", "laureate"):
        assert Message.objects.filter(project=dataset[key]).count() == 1
        assert Project.objects.get(pk=dataset[key].pk).created_by_id is not None
    assert Project.objects.get(pk=dataset["forgotten_draft"].pk).created_by_id is None
    # Registrations of the meeting ended 400 days ago; the recent meeting's stays.
    for registration in dataset["old_registrations"]:
        registration.refresh_from_db()
        assert (
            registration.first_name,
            registration.last_name,
            registration.email,
            registration.organisation,
            registration.dietary_needs,
            registration.user_id,
        ) == (
            "Inscription",
            "effacée",
            f"inscription-{registration.pk}@efface.invalid",
            "",
            "",
            None,
        )
    recent = Registration.objects.get(pk=dataset["recent_registration"].pk)
    assert recent.email.endswith("@exemple.test")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["y@exemple.test"]
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["y@exemple.test"]
    assert list(RateLimitHit.objects.values_list("key", flat=True)) == ["b" * 64]


def test_a_second_run_finds_nothing_left(dataset):
    retention.apply_retention()
    after_first = _fingerprint()

    outcomes = retention.apply_retention()

    assert _counts(outcomes) == {
        "accounts": (0, 1),
        "dossiers": (0, 0),
        "registrations": (0, 0),
        "sign_in_log": (0, 0),
        "rate_limits": (0, 0),
        "outgoing_mails": (0, 0),
    }
    assert _fingerprint() == after_first


def test_the_command_reports_in_french_what_how_many_and_since_when(dataset):
    out = io.StringIO()

    call_command("apply_retention", "--dry-run", stdout=out)

    year = dataset["old_edition_year"]
    assert out.getvalue().splitlines()[:3] == [
        "Simulation : rien n'est modifié.",
        "- Comptes sans connexion depuis plus de 3 ans : 2 à traiter (dernière activité la plus "
        f"ancienne le {timezone.localtime(dataset['coordinator'].last_login):%d/%m/%Y}) ; 1 "
        "gardé·es : dernier compte actif de la coordination.",
        f"- Dossiers non lauréats de plus de 5 ans : 2 à traiter (édition {year}, et projets "
        "jamais déposés).",
    ]
    assert User.objects.filter(erased_at__isnull=False).count() == 0


def test_the_scheduled_job_applies_the_periods(dataset):
    job = next(job for job in schedule.registered_jobs() if job.name == "durees-de-conservation")

    summary = job.run(timezone.now())

    # The page says « Chaque jour » (test_the_privacy_page_prints_the_periods_the_job_applies).
    assert job.interval == DAY

    assert summary.startswith("Durées de conservation appliquées.\n- Comptes sans connexion")
    assert Registration.objects.filter(email__endswith="@efface.invalid").count() == 2
    assert sorted(OutgoingMail.objects.values_list("subject", flat=True)) == [
        "Encore en attente",
        "Relance",
        "Tout récent",
    ]


def test_the_privacy_page_prints_the_periods_the_job_applies(client):
    page = client.get("/donnees-personnelles/")

    assert page.status_code == 200
    for period in retention.RETENTION:
        for text in (period.data, period.duration, period.then):
            assert escape(text) in page.text
    assert 'href="/espace/mes-donnees/"' in page.text
    assert "Chaque jour, le portail applique lui-même ces durées" in page.text


def test_the_periods_count_from_the_same_moment_a_year_earlier():
    now = timezone.now().replace(year=2028, month=2, day=29)

    assert retention._before(now, retention.ACCOUNTS) == now.replace(year=2025, day=28)
    assert retention._before(now, retention.REGISTRATIONS) == now.replace(year=2027, day=28)


@pytest.mark.django_db
def test_a_dossier_blanked_without_signals_leaves_no_cached_page_showing_it(
    django_capture_on_commit_callbacks,
):
    from core import cache_versions
    from submissions.models import ProjectChange

    author = UserFactory(first_name="Awa", last_name="Diallo")
    project = ProjectFactory(created_by=author)
    ProjectChange.objects.create(project=project, author=author, section="budget")
    # A version none of the blanked rows' signals reach: only invalidate_all() changes it.
    before = cache_versions.current("filter-choices")

    with django_capture_on_commit_callbacks(execute=True):
        retention._anonymise_dossier(project)

    assert ProjectChange.objects.get(project=project).author_id is None
    assert cache_versions.current("filter-choices") != before
