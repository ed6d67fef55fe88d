"""The demo seed: one entry point that each stage of the cycle extends."""

from accounts.demo import seed_people
from accounts.territory import load_territory
from coordination.demo import seed_dashboard_figures
from jury.demo import seed_jury
from laureates.demo import seed_laureates
from network.demo import seed_meetings, seed_network_members
from notifications.demo import seed_outbox
from submissions.demo import seed_projects


def seed_demo() -> dict[str, int]:
    load_territory()
    counts = seed_people()
    counts["projects"] = seed_projects()
    counts["jury_sessions"] = seed_jury()
    counts["laureates"] = seed_laureates()
    counts["network_members"] = seed_network_members()
    counts["meetings"] = seed_meetings()
    counts["editions_with_envelope"] = seed_dashboard_figures()
    counts["mailings"] = seed_outbox()
    return counts
