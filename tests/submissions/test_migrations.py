"""The migration that turned the « recevable » flag into a state keeps what was declared."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("submissions", "0004_results_publication")]
AFTER = [("submissions", "0005_eligible_state")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_a_deposited_dossier_flagged_eligible_becomes_recevable(transactional_db):
    old = _migrate(BEFORE)
    try:
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
    finally:
        _migrate(AFTER)

    Project = new.get_model("submissions", "Project")
    ProjectEvent = new.get_model("submissions", "ProjectEvent")
    states = dict(Project.objects.values_list("pk", "state"))
    assert states == {flagged.pk: "eligible", waiting.pk: "deposited", refused.pk: "ineligible"}
    assert list(ProjectEvent.objects.values_list("from_state", "to_state")) == [
        ("deposited", "eligible")
    ]
