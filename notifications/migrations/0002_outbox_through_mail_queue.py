"""A mailing's messages leave through the portal's one mail queue (core.OutgoingMail).

A message sent or failed before keeps its outcome: a row of the queue is
written for it, sent or failed, with the same text and date.
"""

import django.db.models.deletion
from django.db import migrations, models


def into_the_queue(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    OutgoingMail = apps.get_model("core", "OutgoingMail")
    for message in OutboxMessage.objects.exclude(status="pending").iterator():
        when = message.sent_at or message.mailing.sent_at or message.mailing.created_at
        message.mail = OutgoingMail.objects.create(
            to=[message.email],
            subject=message.subject,
            text=message.text,
            html=message.html,
            template=f"mailing {message.mailing_id}",
            status="sent" if message.status == "sent" else "failed",
            attempts=1,
            created_at=when,
            next_attempt_at=when,
            last_attempt_at=when,
            sent_at=when if message.status == "sent" else None,
            last_error="" if message.status == "sent" else "Échec avant la file d'envoi",
        )
        message.save(update_fields=["mail"])


def out_of_the_queue(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    for message in OutboxMessage.objects.filter(mail__isnull=False).select_related("mail"):
        message.status = "sent" if message.mail.status == "sent" else "failed"
        message.sent_at = message.mail.sent_at or message.mail.last_attempt_at
        message.save(update_fields=["status", "sent_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_outgoing_mail"),
        ("notifications", "0001_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="mail",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="outbox_message",
                to="core.outgoingmail",
            ),
        ),
        migrations.RunPython(into_the_queue, out_of_the_queue),
        migrations.RemoveField(model_name="outboxmessage", name="sent_at"),
        migrations.RemoveField(model_name="outboxmessage", name="status"),
    ]
