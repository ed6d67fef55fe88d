"""Path converters: a URL part that cannot name an object never reaches a query.

A NUL byte or a number beyond PostgreSQL's bigint would make the database
raise (a 500); refused by the resolver, they answer 404 like any unknown page.
"""

from django.urls import register_converter

BIGINT_MAX = 2**63 - 1


class IdConverter:
    """A primary key: digits only, at most the largest bigint."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > BIGINT_MAX:
            raise ValueError(value)  # the resolver answers 404
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


class TokenConverter:
    """A secret token of ``secrets.token_urlsafe`` or a base64 id: URL-safe base64."""

    regex = "[A-Za-z0-9_-]{1,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ResetTokenConverter:
    """A token of Django's token generators: ``<timestamp>-<hash>``."""

    regex = "[0-9A-Za-z]{1,13}-[0-9A-Za-z]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def register() -> None:
    register_converter(IdConverter, "id")
    register_converter(TokenConverter, "token")
    register_converter(ResetTokenConverter, "reset_token")
