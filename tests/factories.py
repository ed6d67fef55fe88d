"""factory_boy factories, one trait per role."""

import factory
from django.utils import timezone

from accounts.enums import AssociationKind
from accounts.models import Association, CityContract, Commune, Invitation, Membership, User

PASSWORD = "mot-de-passe-solide-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        coordinator = factory.Trait(is_coordinator=True)
        juror = factory.Trait(is_juror=True)
        officer = factory.Trait(
            officer_contract=factory.LazyFunction(lambda: CityContract.objects.get(code="CV357"))
        )
        unconfirmed = factory.Trait(email_confirmed_at=None, is_active=False)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def commune(insee: str = "94041") -> Commune:
    return Commune.objects.get(insee=insee)


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Association de quartier n° {n}")
    kind = AssociationKind.ASSOCIATION
    commune = factory.LazyFunction(commune)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    association = factory.SubFactory(AssociationFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    association = factory.SubFactory(AssociationFactory)
    email = factory.Sequence(lambda n: f"invite{n}@exemple.test")
    token = factory.Sequence(lambda n: f"jeton-{n:040d}")


def member_of(association: Association, **kwargs) -> User:
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, association=association)
    return user
