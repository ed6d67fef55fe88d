"""The flush after a transactional test empties every table, the audit trail's too (tests/quick_flush.py)."""

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from accounts.models import User
from core.models import Event
from tests.factories import AssociationFactory, member_of


def _filled_tables() -> list[str]:
    tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        return [table for table in tables if _has_rows(cursor, table)]


def _has_rows(cursor, table: str) -> bool:
    quoted = connection.ops.quote_name(table)  # a name from Django's introspection
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quoted})")  # noqa: S608
    return cursor.fetchone()[0]


def test_the_flush_deletes_the_filled_tables_and_truncates_the_audit_trail(transactional_db):
    member = member_of(AssociationFactory())
    Event.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_id=member.pk,
        workflow="essai",
        action="essai",
    )
    tables = connection.introspection.django_table_names(only_existing=True)

    sql = connection.ops.sql_flush(no_style(), tables)

    assert 'TRUNCATE "core_event";' in sql
    assert 'DELETE FROM "accounts_user";' in sql
    assert 'DELETE FROM "accounts_association";' in sql
    # An empty table is left alone.
    assert not any('"jury_evaluation"' in statement for statement in sql)


def test_after_the_flush_every_table_is_empty(transactional_db):
    member = member_of(AssociationFactory())
    Event.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_id=member.pk,
        workflow="essai",
        action="essai",
    )
    assert {"accounts_user", "core_event", "accounts_commune"} <= set(_filled_tables())

    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)

    assert _filled_tables() == []


def test_asked_to_reset_the_sequences_the_flush_is_djangos_truncate(db):
    tables = connection.introspection.django_table_names(only_existing=True)

    sql = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)

    assert len(sql) == 1
    assert sql[0].startswith("TRUNCATE ")
    assert sql[0].endswith(" RESTART IDENTITY;")
