"""The confirmation step of final actions, the same way everywhere.

A final action (delete a draft, deposit, withdraw, close a jury session,
publish the results) is reached by a link: GET on the action's URL shows a page
that says what will happen, and its form posts back to the same URL. It works
without JavaScript and a stray click changes nothing.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from core.forms import TransitionForm, attach_errors, flash_errors
from core.permissions import not_found


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


def confirmed(request) -> bool:
    """Only the confirmation page's own form acts: a stray POST shows the page again."""
    return request.method == "POST" and request.POST.get("confirmed") == "1"


def take_transition(request, *, title, transition, check, take, back_url, reason_help=""):
    """Confirm (when the move asks for it), take the move, and go back with its sentence.

    ``transition`` is a ``core.workflow.Transition``; ``check()`` raises why the
    person may not make the move; ``take(reason)`` makes it. Nobody is asked to
    confirm, or to give a reason for, a move they may not make; a reason left
    empty shows the confirmation page again.
    """
    back = redirect(back_url)

    def confirmation(form, status):
        return confirmation_page(
            request,
            Confirmation(
                title=f"{transition.label} « {title} » ?",
                consequences=[transition.confirm],
                action_url=request.path,
                button=transition.label,
                cancel_url=back_url,
                danger=transition.button == "danger",
            ),
            form=form if transition.needs_reason else None,
            status=status,
        )

    is_confirmed = confirmed(request)
    form = TransitionForm(
        request.POST if is_confirmed or not transition.confirm else None,
        initial={"comment": request.POST.get("comment", "")},
        needs_comment=transition.needs_reason,
    )
    if reason_help:
        form.fields["comment"].help_text = reason_help
    if transition.confirm:
        try:
            check()
        except ValidationError as error:
            flash_errors(request, error)
            return back
        if not is_confirmed:
            return confirmation(form, 200)
        if not form.is_valid():
            return confirmation(form, 400)
    form.is_valid()
    try:
        take(form.cleaned_data.get("comment", ""))
    except ValidationError as error:
        if transition.confirm and hasattr(error, "error_dict"):
            attach_errors(form, error)
            return confirmation(form, 400)
        flash_errors(request, error)
        return back
    messages.success(request, transition.success)
    return back


def known_transition(workflow):
    """A view's guard for ``<name>`` in its URL: a move the workflow does not offer as a button
    (unknown, or internal: taken by another step of the portal) answers 404; a move
    without confirmation page is POST only (405)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, name, **kwargs):
            if name not in workflow or workflow[name].internal:
                not_found()
            if request.method != "POST" and not workflow[name].confirm:
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, name=name, **kwargs)

        return wrapped

    return decorator
