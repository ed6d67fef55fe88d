"""The cards from the jury's results, their edition, their moves and the showcase's publication."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import Event
from core.stale import StaleWrite
from jury.models import JurySession, Proposal
from laureates import signals
from laureates.enums import CardState, ShowcaseState
from laureates.models import Laureate, Showcase
from laureates.services import cards as services
from laureates.workflows import CARD, SHOWCASE, card_moves
from submissions.enums import EditionState, ProjectState
from tests.factories import AssociationFactory, UserFactory, commune, member_of
from tests.laureates.factories import LaureateFactory
from tests.submissions.factories import EditionFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(coordinator=True)


@pytest.fixture
def edition():
    return EditionFactory(state=EditionState.ARCHIVED)


def laureate_project(
    edition, *, title="Jardin partagé des Lilas", amount=None, state=ProjectState.LAUREATE
):
    project = ProjectFactory(complete=True, edition=edition, state=state, title=title)
    if amount is not None:
        session = JurySession.objects.create(
            edition=edition, title="Séance", starts_at=edition.deposit_deadline
        )
        Proposal.objects.create(
            session=session,
            project=project,
            decision="laureate",
            amount=amount,
            justification="Projet solide.",
        )
    return project


def events_of(obj, action):
    return list(
        Event.objects.filter(object_id=obj.pk, action=action).values_list(
            "workflow", "from_state", "to_state", "reason"
        )
    )


# --- Cards from the jury's results ---------------------------------------------------------


def test_cards_create_copies_the_project_and_the_jury_amount(edition, coordinator):
    project = laureate_project(edition, amount=Decimal("4500"))

    assert services.cards_create(edition=edition, actor=coordinator) == 1

    card = Laureate.objects.get(project=project)
    assert (card.title, card.slug, card.year, card.state) == (
        "Jardin partagé des Lilas",
        "jardin-partage-des-lilas",
        edition.year,
        CardState.DRAFT,
    )
    assert card.pitch == project.summary
    assert card.association_name == project.association.name
    assert card.commune == project.commune
    assert card.themes == ["culture"]
    assert card.amount_granted == Decimal("4500")
    assert list(card.qpvs.all()) == list(project.qpvs.all())
    assert card.is_public is False
    assert Showcase.objects.get(edition=edition).state == ShowcaseState.DRAFT
    assert events_of(card, "create") == [("laureate-card", "draft", "draft", "")]


def test_cards_create_twice_creates_each_card_once(edition, coordinator):
    laureate_project(edition)
    services.cards_create(edition=edition, actor=coordinator)

    assert services.cards_create(edition=edition, actor=coordinator) == 0
    assert Laureate.objects.filter(edition=edition).count() == 1


def test_cards_create_gives_each_card_its_own_address_in_the_edition(edition, coordinator):
    laureate_project(edition, title="Cuisine du monde")
    laureate_project(edition, title="Cuisine du monde")
    laureate_project(edition, title="Cuisine du monde", state=ProjectState.COMPLETED)
    ProjectFactory(complete=True, edition=edition, state=ProjectState.NOT_SELECTED)

    services.cards_create(edition=edition, actor=coordinator)

    assert sorted(Laureate.objects.values_list("slug", flat=True)) == [
        "cuisine-du-monde",
        "cuisine-du-monde-2",
        "cuisine-du-monde-3",
    ]


def test_cards_create_is_for_the_coordination_only(edition):
    laureate_project(edition)
    with pytest.raises(ValidationError):
        services.cards_create(edition=edition, actor=UserFactory())
    assert Laureate.objects.count() == 0


# --- is_public: card published AND showcase published --------------------------------------


def card_in(showcase_state, card_state, edition=None):
    card = LaureateFactory(state=card_state, **({"edition": edition} if edition else {}))
    Showcase.objects.filter(edition=card.edition).update(state=showcase_state)
    return card


@pytest.mark.parametrize(
    ("name", "card_state", "showcase_state", "expected_state", "public"),
    [
        ("mark_ready", CardState.DRAFT, ShowcaseState.DRAFT, CardState.READY, False),
        ("back_to_draft", CardState.READY, ShowcaseState.PUBLISHED, CardState.DRAFT, False),
        ("publish", CardState.READY, ShowcaseState.PUBLISHED, CardState.PUBLISHED, True),
        ("back_to_ready", CardState.UNPUBLISHED, ShowcaseState.PUBLISHED, CardState.READY, False),
    ],
)
def test_card_moves_recompute_is_public(
    coordinator, name, card_state, showcase_state, expected_state, public
):
    card = card_in(showcase_state, card_state)

    moved = services.card_transition(card=card, actor=coordinator, name=name)

    assert (moved.state, moved.is_public) == (expected_state, public)
    assert Laureate.objects.get(pk=card.pk).is_public is public
    assert events_of(card, name) == [("laureate-card", card_state, expected_state, "")]


def test_unpublishing_a_card_needs_a_reason_and_hides_it(coordinator):
    card = LaureateFactory(public=True)

    with pytest.raises(ValidationError) as refused:
        services.card_transition(card=card, actor=coordinator, name="unpublish")
    assert refused.value.message_dict == {"reason": ["Indiquez le motif."]}

    moved = services.card_transition(
        card=card, actor=coordinator, name="unpublish", reason="Photo à changer."
    )
    assert (moved.state, moved.is_public) == (CardState.UNPUBLISHED, False)
    assert events_of(card, "unpublish") == [
        ("laureate-card", "published", "unpublished", "Photo à changer.")
    ]


def test_a_ready_card_is_not_published_alone_before_its_showcase(coordinator):
    card = card_in(ShowcaseState.DRAFT, CardState.READY)

    assert "publish" not in [move.name for move in card_moves(card, coordinator)]
    with pytest.raises(ValidationError) as refused:
        services.card_transition(card=card, actor=coordinator, name="publish")
    assert "La vitrine de l'édition n'est pas publiée" in refused.value.messages[0]
    assert Laureate.objects.get(pk=card.pk).state == CardState.READY


def test_a_member_takes_no_card_move(coordinator):
    card = card_in(ShowcaseState.DRAFT, CardState.DRAFT)
    member = member_of(card.association)

    assert card_moves(card, member) == []
    with pytest.raises(ValidationError):
        services.card_transition(card=card, actor=member, name="mark_ready")


def test_mark_ready_refuses_a_photo_without_description(coordinator):
    card = card_in(ShowcaseState.DRAFT, CardState.DRAFT)
    Laureate.objects.filter(pk=card.pk).update(photo="laureats/x.jpg", photo_alt="")

    with pytest.raises(ValidationError) as refused:
        services.card_transition(card=card, actor=coordinator, name="mark_ready")
    assert refused.value.messages == ["La fiche n'est pas complète : la description de la photo."]


# --- The showcase --------------------------------------------------------------------------


def test_publishing_the_showcase_publishes_the_ready_cards_only(coordinator, edition):
    ready = [card_in(ShowcaseState.DRAFT, CardState.READY, edition) for _ in range(2)]
    draft = card_in(ShowcaseState.DRAFT, CardState.DRAFT, edition)
    showcase = Showcase.objects.get(edition=edition)
    announced = []
    signals.public_content_changed.connect(
        receiver := lambda sender, years, **kw: announced.append((sender, years))
    )
    try:
        with pytest.raises(ValidationError):
            services.showcase_transition(showcase=showcase, actor=UserFactory(), name="publish")
        outcome = services.showcase_transition(showcase=showcase, actor=coordinator, name="publish")
    finally:
        signals.public_content_changed.disconnect(receiver)

    assert (outcome.published, outcome.not_ready) == (2, 1)
    showcase.refresh_from_db()
    assert showcase.state == ShowcaseState.PUBLISHED
    assert showcase.published_at is not None
    assert {c.pk: (c.state, c.is_public) for c in Laureate.objects.all()} == {
        ready[0].pk: (CardState.PUBLISHED, True),
        ready[1].pk: (CardState.PUBLISHED, True),
        draft.pk: (CardState.DRAFT, False),
    }
    assert events_of(showcase, "publish") == [("laureate-showcase", "draft", "published", "")]
    assert events_of(ready[0], "publish_with_showcase") == [
        ("laureate-card", "ready", "published", "")
    ]
    # Sent after the commit (pytest's transaction never commits: captured on_commit).
    assert announced == []


def test_public_content_changed_is_sent_after_the_commit(
    coordinator, edition, django_capture_on_commit_callbacks
):
    card_in(ShowcaseState.DRAFT, CardState.READY, edition)
    announced = []

    def receiver(sender, years, **kwargs):
        announced.append((sender, years))

    signals.public_content_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.showcase_transition(
                showcase=Showcase.objects.get(edition=edition), actor=coordinator, name="publish"
            )
    finally:
        signals.public_content_changed.disconnect(receiver)

    assert announced == [(Showcase, [edition.year])]


def test_withdrawing_the_showcase_hides_its_cards_and_publishing_again_shows_them(
    coordinator, edition
):
    card = LaureateFactory(public=True, edition=edition)
    showcase = Showcase.objects.get(edition=edition)

    services.showcase_transition(
        showcase=showcase, actor=coordinator, name="unpublish", reason="Erreur de montant."
    )
    card.refresh_from_db()
    assert (card.state, card.is_public) == (CardState.PUBLISHED, False)
    assert events_of(showcase, "unpublish") == [
        ("laureate-showcase", "published", "unpublished", "Erreur de montant.")
    ]

    services.showcase_transition(showcase=showcase, actor=coordinator, name="publish")
    card.refresh_from_db()
    assert (card.state, card.is_public) == (CardState.PUBLISHED, True)


def test_a_showcase_without_a_ready_card_is_not_published(coordinator, edition):
    card_in(ShowcaseState.DRAFT, CardState.DRAFT, edition)
    showcase = Showcase.objects.get(edition=edition)

    with pytest.raises(ValidationError) as refused:
        services.showcase_transition(showcase=showcase, actor=coordinator, name="publish")
    assert "Aucune fiche n'est prête" in refused.value.messages[0]
    showcase.refresh_from_db()
    assert showcase.state == ShowcaseState.DRAFT


def test_every_card_and_showcase_move_is_tested():
    """A new transition fails here until a test above takes it."""
    assert {t.name for t in CARD.transitions} == {
        "mark_ready",
        "back_to_draft",
        "publish_with_showcase",
        "publish",
        "unpublish",
        "back_to_ready",
    }
    assert {t.name for t in SHOWCASE.transitions} == {"publish", "unpublish"}


# --- Editing a card ------------------------------------------------------------------------


def card_data(card, **changes):
    data = {
        "title": card.title,
        "pitch": card.pitch,
        "description": card.description,
        "photo_alt": card.photo_alt,
        "commune": card.commune,
        "qpvs": [],
        "themes": card.themes,
        "partners": "",
        "website": "",
        "show_progress": False,
    }
    return {**data, **changes}


def test_a_member_edits_the_public_card_which_stays_published(
    django_capture_on_commit_callbacks,
):
    card = LaureateFactory(public=True)
    member = member_of(card.association)
    announced = []

    def receiver(sender, years, **kwargs):
        announced.append(sender)

    signals.public_content_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            saved = services.card_save(
                card=card,
                actor=member,
                data=card_data(card, title="Le jardin des Lilas"),
                version=card.version,
            )
    finally:
        signals.public_content_changed.disconnect(receiver)

    assert (saved.title, saved.state, saved.is_public, saved.version) == (
        "Le jardin des Lilas",
        CardState.PUBLISHED,
        True,
        2,
    )
    event = Event.objects.get(object_id=card.pk, action="edit")
    assert (event.actor, event.changes) == (member, {"fields": ["title"]})
    assert announced == [Laureate]


def test_a_member_may_not_set_the_amount():
    card = LaureateFactory()
    member = member_of(card.association)

    with pytest.raises(ValidationError) as refused:
        services.card_save(
            card=card,
            actor=member,
            data=card_data(card, amount_granted=Decimal("99999")),
            version=card.version,
        )
    assert refused.value.message_dict == {
        "amount_granted": ["Seule la coordination fixe le montant accordé."]
    }


def test_a_member_of_another_association_may_not_edit():
    card = LaureateFactory()
    stranger = member_of(AssociationFactory())

    with pytest.raises(ValidationError):
        services.card_save(
            card=card, actor=stranger, data=card_data(card, title="X"), version=card.version
        )
    assert Laureate.objects.get(pk=card.pk).title == card.title


def test_a_save_based_on_an_old_version_is_refused(coordinator):
    card = LaureateFactory()
    services.card_save(
        card=card, actor=coordinator, data=card_data(card, title="Première"), version=1
    )

    with pytest.raises(StaleWrite):
        services.card_save(
            card=card, actor=coordinator, data=card_data(card, title="Seconde"), version=1
        )
    assert Laureate.objects.get(pk=card.pk).title == "Première"


def test_quartiers_outside_the_card_commune_are_refused(coordinator):
    card = LaureateFactory()
    elsewhere = commune("91027").qpvs.first()

    with pytest.raises(ValidationError) as refused:
        services.card_save(
            card=card,
            actor=coordinator,
            data=card_data(card, qpvs=[elsewhere]),
            version=card.version,
        )
    assert "n'est pas dans la commune choisie" in refused.value.message_dict["qpvs"][0]


def test_withdrawing_a_public_card_tells_the_public_pages(
    coordinator, django_capture_on_commit_callbacks
):
    card = LaureateFactory(public=True)
    announced = []

    def receiver(sender, years, **kwargs):
        announced.append((sender, years))

    signals.public_content_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.card_transition(
                card=card, actor=coordinator, name="unpublish", reason="Demande de l'association."
            )
            # A move that changes nothing public says nothing.
            services.card_transition(card=card, actor=coordinator, name="back_to_ready")
    finally:
        signals.public_content_changed.disconnect(receiver)

    assert announced == [(Laureate, [card.year])]


def test_showcase_settings_are_recorded(coordinator, edition):
    showcase = services.showcase_settings_save(
        edition=edition, actor=coordinator, show_amounts=False, intro="Huit projets primés."
    )

    assert (showcase.show_amounts, showcase.intro) == (False, "Huit projets primés.")
    event = Event.objects.get(object_id=showcase.pk, action="settings")
    assert (event.workflow, event.actor, event.changes) == (
        "laureate-showcase",
        coordinator,
        {"show_amounts": False, "intro": "modifiée"},
    )
    with pytest.raises(ValidationError):
        services.showcase_settings_save(
            edition=edition, actor=UserFactory(), show_amounts=True, intro=""
        )
