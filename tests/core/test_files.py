"""Files built in the background (core.files): once per request, with progress, then expired."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from core import files, schedule
from core.models import BackgroundFile, Event
from tests.factories import UserFactory

KIND = "essai"


@pytest.fixture
def builder():
    """A builder of three steps that tells its progress; it fails when asked to."""
    calls = []

    def build(row, progress):
        if row.parameters.get("fail"):
            raise RuntimeError("disque plein")
        progress(0, 3)
        for step in (1, 2, 3):
            calls.append(BackgroundFile.objects.get(pk=row.pk).done)
            progress(step)
        return files.Built(content=b"a;b\r\n", filename="essai.csv", content_type="text/csv")

    files.register(KIND, build)
    yield calls
    files._builders.pop(KIND)


def _ask(owner, **kwargs):
    kwargs.setdefault("parameters", {"annee": 2026})
    return files.request_file(owner=owner, kind=KIND, title="Essai", **kwargs)


def test_a_requested_file_is_built_after_the_commit_with_its_progress(
    db, builder, django_capture_on_commit_callbacks
):
    owner = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        row, created = _ask(owner)
        assert BackgroundFile.objects.get().state == "queued"

    row.refresh_from_db()
    assert created is True
    assert (row.state, row.done, row.total, row.percent) == ("ready", 3, 3, 100)
    assert builder == [0, 1, 2]
    assert row.filename == "essai.csv"
    assert row.file.read() == b"a;b\r\n"
    assert row.expires_at - row.created_at == timedelta(days=7)
    events = Event.objects.for_object(row).values_list("action", "from_state", "to_state")
    assert list(events) == [("start", "queued", "running"), ("finish", "running", "ready")]


def test_a_double_click_or_the_same_request_while_unfinished_gives_one_file(db, builder):
    owner = UserFactory()
    key = uuid.uuid4()

    first, created_first = _ask(owner, submission_key=key)
    again, created_again = _ask(owner, submission_key=key)
    same, created_same = _ask(owner, parameters={"annee": 2026})
    other, created_other = _ask(owner, parameters={"annee": 2025})

    assert (created_first, created_again, created_same, created_other) == (True, False, False, True)
    assert again == first == same
    assert other != first
    assert BackgroundFile.objects.count() == 2


def test_another_person_asking_the_same_gets_a_file_of_their_own(db, builder):
    first, _ = _ask(UserFactory())
    second, created = _ask(UserFactory())

    assert created is True
    assert second != first


def test_a_recent_file_is_given_again_only_when_asked(db, builder):
    owner = UserFactory()
    first, _ = _ask(owner)
    files.file_build(first.pk)

    reused, reused_created = _ask(owner, reuse_within=timedelta(minutes=2))
    fresh, fresh_created = _ask(owner)

    assert (reused, reused_created) == (first, False)
    assert (fresh != first, fresh_created) == (True, True)


def test_before_create_refuses_without_leaving_a_row(db, builder):
    def refuse():
        raise PermissionError("trop de demandes")

    with pytest.raises(PermissionError):
        _ask(UserFactory(), before_create=refuse)

    assert BackgroundFile.objects.count() == 0


def test_a_failing_builder_leaves_a_failed_file_without_content(db, builder):
    row, _ = _ask(UserFactory(), parameters={"fail": True})

    files.file_build(row.pk)

    row.refresh_from_db()
    assert (row.state, row.error, bool(row.file)) == ("failed", "RuntimeError", False)
    # A failed file does not stop the next request.
    _again, created = _ask(row.owner, parameters={"fail": True})
    assert created is True


def test_an_unknown_kind_is_refused(db):
    with pytest.raises(KeyError):
        files.request_file(owner=UserFactory(), kind="inconnu", title="?", parameters={})


def test_a_person_reads_only_their_own_files(db, builder):
    owner, stranger = UserFactory(), UserFactory()
    row, _ = _ask(owner)

    assert files.file_of(owner, KIND, row.pk) == row
    assert files.file_of(stranger, KIND, row.pk) is None
    assert list(files.files_of(stranger, KIND)) == []


def test_the_daily_job_deletes_expired_files_and_their_content(db, builder):
    owner = UserFactory()
    old, _ = _ask(owner, parameters={"n": 1}, keep=timedelta(days=1))
    kept, _ = _ask(owner, parameters={"n": 2})
    for row in (old, kept):
        files.file_build(row.pk)
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)

    summary = files.expiry_job(timezone.now() + timedelta(days=2))

    assert summary == "1 fichier préparé supprimé"
    assert list(BackgroundFile.objects.all()) == [kept]
    assert not storage.exists(name)
    assert files.file_of(owner, KIND, kept.pk) == kept


def test_the_expiry_job_runs_daily():
    jobs = {job.name: job.interval for job in schedule.registered_jobs()}

    assert jobs["fichiers-expires"] == timedelta(days=1)


def test_an_erased_account_loses_its_files(db, builder):
    owner, other = UserFactory(), UserFactory()
    mine, _ = _ask(owner)
    theirs, _ = _ask(other)
    files.file_build(mine.pk)
    mine.refresh_from_db()
    storage, name = mine.file.storage, mine.file.name

    assert files.delete_owned(owner) == 1

    assert list(BackgroundFile.objects.all()) == [theirs]
    assert not storage.exists(name)


def test_a_shared_file_is_reused_by_anyone_while_its_source_is_the_same(
    db, builder, django_capture_on_commit_callbacks
):
    first_owner, second_owner = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first, created_first = _ask(first_owner, source_hash="v1")
    again, created_again = _ask(second_owner, source_hash="v1")
    changed, created_changed = _ask(second_owner, source_hash="v2")

    assert (created_first, created_again, created_changed) == (True, False, True)
    assert again == first and again.is_ready
    assert changed != first
    current = files.current_file(kind=KIND, parameters={"annee": 2026}, source_hash="v1")
    assert current == first
    assert files.current_file(kind=KIND, parameters={"annee": 2025}, source_hash="v1") is None


def test_a_failed_or_expired_shared_file_is_built_again(
    db, builder, django_capture_on_commit_callbacks
):
    owner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        failed, _ = _ask(owner, parameters={"fail": True}, source_hash="v1")
    failed.refresh_from_db()
    assert failed.is_failed
    assert files.current_file(kind=KIND, parameters={"fail": True}, source_hash="v1") == failed

    with django_capture_on_commit_callbacks(execute=True):
        retried, created = _ask(owner, parameters={"fail": True}, source_hash="v1")
    assert created is True and retried != failed

    BackgroundFile.objects.filter(pk=retried.pk).update(expires_at=timezone.now())
    assert files.current_file(kind=KIND, parameters={"fail": True}, source_hash="v1") == failed
    BackgroundFile.objects.filter(pk=failed.pk).update(expires_at=timezone.now())
    assert files.current_file(kind=KIND, parameters={"fail": True}, source_hash="v1") is None
    _third, created_third = _ask(owner, parameters={"fail": True}, source_hash="v1")
    assert created_third is True
