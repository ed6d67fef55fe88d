"""Network members, meetings and registrations for tests, in the state a test needs."""

from datetime import time, timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify

from network.enums import MeetingState, MemberKind, RegistrationState
from network.models import Meeting, NetworkMember, ProgrammeItem, Registration
from submissions.enums import Theme
from tests.factories import commune


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    """A partner of the network; ``association=…`` with ``kind=MemberKind.LAUREATE`` for a
    laureate association's profile."""

    class Meta:
        model = NetworkMember
        skip_postgeneration_save = True

    kind = MemberKind.PARTNER
    name = factory.Sequence(lambda n: f"Structure partenaire n° {n}")
    slug = factory.LazyAttribute(lambda member: slugify(member.name))
    description = "Accompagne les associations du quartier dans leurs projets."
    commune = factory.LazyFunction(commune)
    themes = factory.LazyFunction(lambda: [Theme.SOCIAL])
    website = "https://exemple.test/"
    contact_name = "Camille Martin"
    contact_email = factory.Sequence(lambda n: f"contact{n}@exemple.test")
    contact_phone = "01 23 45 67 89"


class MeetingFactory(factory.django.DjangoModelFactory):
    """A published meeting in 30 days, registration open; ``past=True`` held 30 days ago,
    ``draft=True`` in preparation, ``closed=True`` registration closed but not yet held."""

    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Rencontre annuelle du réseau n° {n}")
    slug = factory.LazyAttribute(lambda meeting: slugify(meeting.title))
    year = factory.LazyAttribute(lambda meeting: timezone.localtime(meeting.starts_at).year)
    state = MeetingState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    intro = "Une journée pour se rencontrer, partager ses projets et ses réussites."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda meeting: meeting.starts_at + timedelta(hours=7))
    place_name = "Hôtel de territoire"
    address = "2 avenue Youri Gagarine, 94400 Vitry-sur-Seine"
    commune = factory.LazyFunction(lambda: commune("94081"))
    access_notes = "RER C, gare de Vitry-sur-Seine ; salle de plain-pied."
    capacity = 50
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    registration_closes_at = factory.LazyAttribute(
        lambda meeting: meeting.starts_at - timedelta(days=2)
    )

    class Params:
        draft = factory.Trait(state=MeetingState.DRAFT, published_at=None)
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=30)),
            registration_opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=90)),
        )
        closed = factory.Trait(
            registration_closes_at=factory.LazyFunction(
                lambda: timezone.now() - timedelta(hours=1)
            ),
            registration_opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=20)),
        )


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    meeting = factory.SubFactory(MeetingFactory)
    starts_at = time(9, 30)
    ends_at = time(10, 30)
    title = factory.Sequence(lambda n: f"Table ronde n° {n}")
    speakers = "Élu·e du territoire, associations lauréates"


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration holding a seat; ``waitlisted=True``, ``pending=True`` (address to
    confirm), ``attended=True`` or ``cancelled=True`` for the other states."""

    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    first_name = "Awa"
    last_name = factory.Sequence(lambda n: f"Diallo{n}")
    email = factory.Sequence(lambda n: f"inscrit{n}@exemple.test")
    organisation = "Association Les Jardins partagés"
    state = RegistrationState.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(state=RegistrationState.REGISTERED, confirmed_at=None)
        waitlisted = factory.Trait(
            state=RegistrationState.WAITLISTED, waitlisted_at=factory.LazyFunction(timezone.now)
        )
        attended = factory.Trait(
            state=RegistrationState.ATTENDED, attended_at=factory.LazyFunction(timezone.now)
        )
        cancelled = factory.Trait(
            state=RegistrationState.CANCELLED, cancelled_at=factory.LazyFunction(timezone.now)
        )
