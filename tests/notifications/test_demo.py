from label_portal.demo import seed_demo
from notifications.models import Mailing, Notification


def test_the_demo_has_notifications_a_sent_mailing_and_a_draft(db, mailoutbox):
    seed_demo()
    seed_demo()

    assert Notification.objects.filter(user__email="asso.alpha@demo.test").exists()
    assert Notification.objects.filter(user__email__startswith="chef.").exists()
    assert sorted(Mailing.objects.values_list("state", flat=True)) == ["draft", "sent"]
    sent = Mailing.objects.get(state="sent")
    assert sent.messages.count() >= 1
    assert set(sent.messages.values_list("mail__status", flat=True)) == {"sent"}
    assert mailoutbox == []
