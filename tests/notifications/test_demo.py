from label_portal.demo import seed_demo
from notifications.models import Mailing, Notification
from tests.demo_world import DEMO

# The demo, seeded once for all the tests of a worker that read it (tests/demo_world.py).
demo = DEMO.fixture("demo")


def test_the_demo_has_notifications_a_sent_mailing_and_a_draft(demo, mailoutbox):
    # Seeded once by the world; seeding it again creates nothing twice.
    assert demo["mails"] == []
    seed_demo()

    assert Notification.objects.filter(user__email="asso.alpha@demo.test").exists()
    assert Notification.objects.filter(user__email__startswith="chef.").exists()
    assert sorted(Mailing.objects.values_list("state", flat=True)) == ["draft", "sent"]
    sent = Mailing.objects.get(state="sent")
    assert sent.messages.count() >= 1
    assert set(sent.messages.values_list("mail__status", flat=True)) == {"sent"}
    assert mailoutbox == []
