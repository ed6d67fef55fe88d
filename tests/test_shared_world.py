"""A copied shared world (tests/shared_world.py) gives each test copies of what it reads."""

import pytest
from django.db import IntegrityError, transaction

from tests.shared_world import CopiedOnRead, SharedWorld


class _Row:
    def __init__(self, name, author=None):
        self.name = name
        self.author = author


def test_a_value_read_is_a_copy_the_test_may_change():
    source = {"project": _Row("Jardins")}
    world = CopiedOnRead(source)

    world["project"].name = "Changé"

    assert source["project"].name == "Jardins"
    assert world["project"].name == "Changé"  # the same copy for the whole test


def test_values_sharing_an_instance_share_its_copy_as_with_a_whole_deepcopy():
    user = _Row("Awa")
    source = {"users": {"member": user}, "project": _Row("Jardins", author=user)}
    world = CopiedOnRead(source)

    member, project = world["users"]["member"], world["project"]

    assert member is not user
    assert project.author is member


def test_each_test_gets_its_own_copies():
    source = {"project": _Row("Jardins")}
    first, second = CopiedOnRead(source), CopiedOnRead(source)

    first["project"].name = "Changé"

    assert second["project"].name == "Jardins"


def test_it_reads_like_the_dict_it_copies():
    source = {"a": 1, "b": [2]}
    world = CopiedOnRead(source)

    assert "a" in world and "c" not in world
    assert sorted(world) == ["a", "b"]
    assert len(world) == 2
    assert world.get("c") is None
    assert dict(world.items()) == source


def test_a_world_is_checked_for_broken_foreign_keys_when_it_is_built(db):
    """Its deferred foreign keys are checked once, when built, not again after each test."""
    from accounts.models import Qpv

    def build():
        link = Qpv.communes.through
        link.objects.create(qpv_id=Qpv.objects.values_list("pk", flat=True)[0], commune_id=-1)
        return {}

    broken = SharedWorld("monde à clé étrangère cassée", build, copied=False)

    with pytest.raises(IntegrityError), transaction.atomic():
        broken.build_checked()
