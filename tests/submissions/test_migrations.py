"""Data migrations keep what was declared: the « recevable » flag, the projects' history."""

import contextlib

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("submissions", "0004_results_publication")]
AFTER = [("submissions", "0005_eligible_state")]
BEFORE_LOG = [("submissions", "0006_constraint_messages_in_french")]
LATEST = [("submissions", "0007_project_events_in_core_event_log")]


@contextlib.contextmanager
def _empty_database():
    """The connection pointed, for the block, at an empty database of its own.

    Walking the worker's test database down to submissions 0004 unapplied every migration of
    every app that depends on submissions, and walking it up again re-applied them: some 30 s
    of CPU, Django rendering the models of each state. Here only the migrations the targets
    need are applied, forwards, and the worker's test database is never touched.
    """
    quote = connection.ops.quote_name
    saved = connection.settings_dict["NAME"]
    name = f"{saved}_migrations"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(name)}")
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_recevable_flag_becomes_a_state_then_the_history_moves_to_the_event_log(
    django_db_blocker,
):
    # One walk up the chain for both migrations, in an empty database of its own.
    with django_db_blocker.unblock(), _empty_database():
        old = _migrate(BEFORE)
        Association = old.get_model("accounts", "Association")
        Commune = old.get_model("accounts", "Commune")
        Project = old.get_model("submissions", "Project")
        ProjectEvent = old.get_model("submissions", "ProjectEvent")
        ivry = Commune.objects.get(name="Ivry-sur-Seine")
        association = Association.objects.create(name="Les Ateliers du Port", commune=ivry)
        flagged = Project.objects.create(
            association=association, title="Recevable", state="deposited", eligible=True
        )
        waiting = Project.objects.create(
            association=association, title="À examiner", state="deposited"
        )
        refused = Project.objects.create(
            association=association, title="Irrecevable", state="ineligible", eligible=False
        )
        ProjectEvent.objects.create(
            project=flagged,
            transition="declare_eligible",
            from_state="deposited",
            to_state="deposited",
        )

        new = _migrate(AFTER)
        Project = new.get_model("submissions", "Project")
        ProjectEvent = new.get_model("submissions", "ProjectEvent")
        states = dict(Project.objects.values_list("pk", "state"))
        assert states == {
            flagged.pk: "eligible",
            waiting.pk: "deposited",
            refused.pk: "ineligible",
        }
        assert list(ProjectEvent.objects.values_list("from_state", "to_state")) == [
            ("deposited", "eligible")
        ]

        old = _migrate(BEFORE_LOG)
        Association = old.get_model("accounts", "Association")
        Commune = old.get_model("accounts", "Commune")
        Project = old.get_model("submissions", "Project")
        ProjectEvent = old.get_model("submissions", "ProjectEvent")
        User = old.get_model("accounts", "User")
        officer = User.objects.create(email="chef@exemple.test")
        association = Association.objects.create(
            name="Les Ateliers du Port", commune=Commune.objects.get(name="Ivry-sur-Seine")
        )
        project = Project.objects.create(
            association=association, title="Irrecevable", state="ineligible"
        )
        ProjectEvent.objects.create(
            project=project,
            actor=officer,
            transition="declare_ineligible",
            from_state="deposited",
            to_state="ineligible",
            comment="Hors territoire.",
        )
        written = ProjectEvent.objects.get(project=project).created_at
        # The history's step, as the old table holds it and as the new one does (after its kind).
        step = ("declare_ineligible", "deposited", "ineligible", officer.pk, "Hors territoire.")

        new = _migrate(LATEST)
        Event = new.get_model("core", "Event")
        # The project of the first part moved too; this one's history is read here.
        assert list(
            Event.objects.filter(object_id=project.pk).values_list(
                "content_type__model",
                "object_id",
                "workflow",
                "action",
                "from_state",
                "to_state",
                "actor_id",
                "reason",
                "created_at",
            )
        ) == [("project", project.pk, "project", *step, written)]

        # Back down (the walk the test once made from the latest state): the reverse migrations
        # put the history back in its table, then the state back into the flag.
        old = _migrate(BEFORE)
        Project = old.get_model("submissions", "Project")
        ProjectEvent = old.get_model("submissions", "ProjectEvent")
        assert Project.objects.get(pk=flagged.pk).state == "deposited"
        assert Project.objects.get(pk=flagged.pk).eligible is True
        assert list(
            ProjectEvent.objects.filter(project_id=project.pk).values_list(
                "transition", "from_state", "to_state", "actor_id", "comment", "created_at"
            )
        ) == [(*step, written)]
