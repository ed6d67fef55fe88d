"""The confirmation step of final actions, the same way everywhere.

A final action (delete a draft, deposit, withdraw, close a jury session,
publish the results) is reached by a link: GET on the action's URL shows a page
that says what will happen, and its form posts back to the same URL. It works
without JavaScript and a stray click changes nothing.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Confirmation:
    title: str
    consequences: list[str]
    action_url: str
    button: str
    cancel_url: str
    danger: bool = False
    extra: dict = field(default_factory=dict)


def confirmation_page(
    request: HttpRequest, confirm: Confirmation, *, form=None, status: int = 200
) -> HttpResponse:
    """Render the confirmation page of a final action (optionally with a form)."""
    context = {"confirm": confirm, "form": form, **confirm.extra}
    return render(request, "components/confirm.html", context, status=status)
