"""A mail server that is down for a while: it refuses the next sends, then takes them."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """Refuse the next ``failures_left`` sends (alternating two kinds of outage), then deliver.

    ``refused_for_good``: every send is refused with a permanent 550 for each recipient.
    """

    failures_left = 0
    refused_for_good = False
    tries = 0

    def send_messages(self, messages):
        FlakyBackend.tries += 1
        if FlakyBackend.refused_for_good:
            raise smtplib.SMTPRecipientsRefused(
                {address: (550, b"No such user") for m in messages for address in m.to}
            )
        if FlakyBackend.failures_left:
            FlakyBackend.failures_left -= 1
            if FlakyBackend.failures_left % 2:
                raise ConnectionRefusedError(111, "Connection refused")
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
