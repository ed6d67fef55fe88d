"""A mail server that refuses some addresses, to test what a failed sending leaves."""

from django.core.mail.backends.locmem import EmailBackend


class FailingForSomeBackend(EmailBackend):
    """Refuse every message to an address starting with « panne »; keep the others."""

    def send_messages(self, messages):
        for message in messages:
            if any(address.startswith("panne") for address in message.to):
                raise ConnectionRefusedError("Le serveur de mail refuse ce destinataire.")
        return super().send_messages(messages)
