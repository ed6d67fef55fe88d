"""The flush that ends each transactional test (browser tests, workers), emptying only what is filled.

Django empties the test database with one ``TRUNCATE`` of every table: PostgreSQL gives each of
the 67 tables new files, some 0.7 s after each of the ~60 transactional tests. After such a test
most tables are empty and the others hold a few rows: a ``DELETE`` of those is a few ms. The
foreign keys are all deferred (Django creates them so), checked when the flush commits, once
every table is empty. A table whose triggers refuse a ``DELETE`` (the audit trail,
core/migrations/0004) is truncated, as Django does, with the tables that point to it.

Asked to reset the sequences or to cascade, the flush is Django's own.
"""

from django.db.backends.postgresql.operations import DatabaseOperations

_django_sql_flush = DatabaseOperations.sql_flush

# Tables with a trigger of their own (not a foreign key's), and the tables pointing to them.
_TRUNCATED = """
WITH RECURSIVE truncated(oid) AS (
    SELECT DISTINCT tgrelid FROM pg_catalog.pg_trigger WHERE NOT tgisinternal
    UNION
    SELECT conrelid FROM pg_catalog.pg_constraint, truncated
    WHERE contype = 'f' AND confrelid = truncated.oid
)
SELECT relname FROM pg_catalog.pg_class JOIN truncated USING (oid)
"""


def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or allow_cascade or not tables:
        return _django_sql_flush(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    # The table names are Django's own (its introspection), quoted.
    with self.connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT %s WHERE EXISTS (SELECT 1 FROM {self.quote_name(table)})"  # noqa: S608
                for table in tables
            ),
            list(tables),
        )
        filled = {row[0] for row in cursor.fetchall()}
        cursor.execute(_TRUNCATED)
        truncated = {row[0] for row in cursor.fetchall()} & set(tables)
    sql = ["SET CONSTRAINTS ALL DEFERRED;"]
    if filled & truncated:
        sql += _django_sql_flush(self, style, sorted(truncated))
    sql += [
        f"DELETE FROM {self.quote_name(table)};"  # noqa: S608
        for table in sorted(filled - truncated)
    ]
    return sql


def install() -> None:
    DatabaseOperations.sql_flush = sql_flush
