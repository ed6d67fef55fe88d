"""What each role's block of « Mon espace » shows, read only when the block is rendered.

The blocks are a cached fragment of the page (``{% cached_fragment %}``, per viewer):
while the version below holds, the page reads none of them. A save of any model
they show makes every viewer's blocks stale at once (label_portal.apps watches them).
"""

from functools import cached_property

from accounts import selectors as account_selectors
from accounts.models import User
from accounts.rules import is_coordinator, is_juror, is_officer
from core.permissions import allowed
from jury import selectors as jury_selectors
from laureates import selectors as laureate_selectors
from submissions import selectors as submission_selectors

# The named version (core.cache_versions) of the blocks, and the models they show.
VERSION = "espace"
READ = (
    "accounts.User",
    "accounts.Association",
    "accounts.Membership",
    "accounts.Commune",
    "accounts.CityContract",
    "accounts.Qpv",
    "submissions.Edition",
    "submissions.Project",
    "laureates.Laureate",
    "jury.JurySession",
    "jury.JuryMember",
    "jury.Audition",
    "jury.ConflictDeclaration",
    "jury.Evaluation",
)
# The member's projects the space lists; the project list has them all.
MEMBER_PROJECTS = 10


class SpaceBlocks:
    """The blocks of one person's space, each read on first use."""

    def __init__(self, user: User):
        self.user = user
        # The roles come from the person's row: no query.
        self.officer = bool(is_officer(user))
        self.juror = bool(is_juror(user))
        self.coordinator = bool(is_coordinator(user))

    @cached_property
    def member_associations(self) -> list:
        return list(account_selectors.associations_of_member(self.user))

    @cached_property
    def member_projects(self) -> list:
        if not self.member_associations:
            return []
        return list(submission_selectors.projects_of_member(self.user)[:MEMBER_PROJECTS])

    @cached_property
    def member_laureate_count(self) -> int:
        if not self.member_associations:
            return 0
        return laureate_selectors.laureates_of_member(self.user).count()

    @cached_property
    def member_auditions(self) -> list:
        if not self.member_associations:
            return []
        return list(jury_selectors.auditions_of_member_associations(self.user))

    @cached_property
    def officer_contract(self):
        if not self.officer:
            return None
        return account_selectors.public_city_contracts().get(pk=self.user.officer_contract_id)

    @cached_property
    def officer_association_count(self) -> int:
        return (
            account_selectors.associations_visible_to(self.user)
            .filter(commune__city_contract_id=self.user.officer_contract_id)
            .count()
        )

    @cached_property
    def juror_sessions(self) -> list:
        return list(jury_selectors.sessions_of_juror(self.user)) if self.juror else []

    @cached_property
    def coordination_counts(self) -> dict[str, int]:
        return {
            **account_selectors.coordination_counts(),
            **submission_selectors.coordination_counts(),
        }

    @cached_property
    def can_view_pilotage(self) -> bool:
        return allowed(self.user, "coordination.view_dashboard")

    @cached_property
    def can_export(self) -> bool:
        return allowed(self.user, "coordination.export_data")

    @cached_property
    def can_view_audit(self) -> bool:
        return allowed(self.user, "coordination.view_audit")

    @cached_property
    def has_role(self) -> bool:
        return bool(self.member_associations or self.officer or self.juror or self.coordinator)
