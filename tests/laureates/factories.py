"""Laureates and showcases for tests, in the state a test needs (set at creation)."""

import factory
from django.utils import timezone
from django.utils.text import slugify

from laureates.enums import CardState, ShowcaseState
from laureates.models import Laureate, Showcase
from submissions.enums import EditionState, Theme
from tests.factories import AssociationFactory, commune
from tests.submissions.factories import EditionFactory


class ShowcaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Showcase
        django_get_or_create = ("edition",)

    edition = factory.SubFactory(EditionFactory, state=EditionState.ARCHIVED)
    state = ShowcaseState.DRAFT

    class Params:
        published = factory.Trait(
            state=ShowcaseState.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )


class LaureateFactory(factory.django.DjangoModelFactory):
    """A laureate card; ``public=True`` makes it published in a published showcase."""

    class Meta:
        model = Laureate
        skip_postgeneration_save = True

    edition = factory.SubFactory(EditionFactory, state=EditionState.ARCHIVED)
    association = factory.SubFactory(AssociationFactory)
    association_name = factory.LazyAttribute(lambda card: card.association.name)
    title = factory.Sequence(lambda n: f"Projet innovant n° {n}")
    slug = factory.LazyAttribute(lambda card: slugify(card.title))
    pitch = "Un atelier ouvert aux habitants du quartier, chaque semaine."
    commune = factory.LazyFunction(commune)
    themes = factory.LazyFunction(lambda: [Theme.SOCIAL])
    amount_granted = 5000
    state = CardState.READY

    class Params:
        public = factory.Trait(
            state=CardState.PUBLISHED,
            is_public=True,
            published_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def showcase(card, create, extracted, **kwargs):
        """Give the edition its showcase, published when the card is public."""
        if create:
            ShowcaseFactory(edition=card.edition, published=card.is_public)
