from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """A token that stops working once the address is confirmed."""

    key_salt = "accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        confirmed = user.email_confirmed_at.isoformat() if user.email_confirmed_at else ""
        return f"{user.pk}{user.email}{confirmed}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()
