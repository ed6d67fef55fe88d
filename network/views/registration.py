"""A meeting's public page, registering to it, and a registration's own pages.

A registration's pages need no account: their address carries a signed token
(``network.tokens``), mailed to the person; a forged one answers 404. A link in
a mail never changes anything by itself (mail scanners follow links): the
confirmation and the cancellation are buttons on their page (``core.confirm``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from core import public_cache, ratelimit
from core.confirm import Confirmation, confirmation_page, confirmed
from core.forms import attach_errors, flash_errors
from core.permissions import allowed, not_found, or_404
from core.ratelimit import Limit, LimitReached
from core.text import plural
from network import mails, qr, selectors
from network.enums import MeetingState, RegistrationState
from network.forms import RegistrationForm
from network.services import registration as services
from network.tokens import CANCEL, CONFIRM, registration_from_token, registration_token
from network.workflows import REGISTRATION

REGISTER_LIMIT = "meeting_registration_ip"


def _meeting(request, slug):
    """The meeting, if the person may see it: a draft is the coordination's only."""
    return or_404(
        selectors.meetings_visible_to(request.user)
        .select_related("commune")
        .filter(slug=slug)
        .first()
    )


def _page_url(registration) -> str:
    return reverse("network:registration", args=[registration_token(registration)])


def _initial(request) -> dict:
    membership = request.user.memberships.select_related("association").first()
    return {"organisation": membership.association.name if membership else ""}


def _may_cancel(registration) -> bool:
    """Offer the cancellation while it frees something: before a meeting still held."""
    meeting = registration.meeting
    return (
        REGISTRATION.allows(registration, None, "cancel")
        and not meeting.is_past
        and not meeting.is_cancelled
    )


def _meeting_page(request, meeting, *, form=None, status=200):
    signed_in = request.user.is_authenticated
    mine = selectors.registration_for(request.user, meeting) if signed_in else None
    refusal = services.registration_refusal(meeting)
    may_register = refusal is None and (mine is None or mine.state == RegistrationState.CANCELLED)
    if may_register and form is None:
        form = RegistrationForm(
            meeting=meeting, signed_in=signed_in, initial=_initial(request) if signed_in else {}
        )
    seats_left = selectors.seats_left(meeting)
    context = {
        "meeting": meeting,
        "is_draft": meeting.state == MeetingState.DRAFT,
        # The coordination's way from the public page to its tools.
        "can_manage": allowed(request.user, "network.manage_meetings"),
        "can_view_registrations": allowed(request.user, "network.view_registrations"),
        "programme": selectors.meeting_programme(meeting),
        "seats_left": seats_left,
        "seats_left_text": plural(seats_left, "place", "places"),
        "refusal": refusal,
        "form": form if may_register else None,
        "mine": mine,
        "mine_url": _page_url(mine) if mine else "",
        "mine_cancel_url": (
            reverse("network:registration_cancel", args=[registration_token(mine, CANCEL)])
            if mine and _may_cancel(mine)
            else ""
        ),
        "mine_position": selectors.waitlist_position(mine) if mine else None,
    }
    return render(request, "network/meeting.html", context, status=status)


# The page tells whether registration is open: the dates move it without any save, so a
# stored copy lives five minutes at most (a late POST is refused by the service anyway).
MEETING_PAGE_TIMEOUT = 5 * 60


@login_not_required
@public_cache.public_page(timeout=MEETING_PAGE_TIMEOUT)
def meeting(request, slug):
    """/reseau/rencontres/<slug>/: the programme, the place, the seats and the registration."""
    return _meeting_page(request, _meeting(request, slug))


@login_not_required
@csrf_exempt
@require_POST
def register(request, slug):
    """Register (POST): a visitor with their name and address, a signed-in person in one click.

    The visitors' form carries no CSRF token, so their page is the same for all
    and stays cached (core.public_cache). A forged visitor's POST can do nothing
    its author could not do from their own browser (name, address, a confirmation
    mail, the rate limit per address). A signed-in person's one-click POST acts
    on their account: it is checked as every other form. A cross-site POST never
    carries the session cookie (SameSite=Lax): it arrives as a visitor's.
    """
    if request.user.is_authenticated:
        return _register_signed_in(request, slug)
    return _register(request, slug)


def _register(request, slug):
    meeting = _meeting(request, slug)
    try:
        ratelimit.count(Limit(REGISTER_LIMIT, ratelimit.client_ip(request)))
    except LimitReached as reached:
        context = {"meeting": meeting, "retry_text": reached.retry_text}
        return render(request, "network/registration/limited.html", context, status=429)
    signed_in = request.user.is_authenticated
    form = RegistrationForm(request.POST, meeting=meeting, signed_in=signed_in)
    if form.is_valid():
        try:
            registration = services.register(
                meeting=meeting, user=request.user if signed_in else None, **form.answers()
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _registered_message(registration))
            return redirect(_page_url(registration))
    return _meeting_page(request, meeting, form=form, status=400)


_register_signed_in = csrf_protect(_register)


def _registered_message(registration) -> str:
    if registration.state == RegistrationState.REGISTERED:
        return (
            f"Presque fini : ouvrez le lien envoyé à {registration.email} pour confirmer "
            "votre inscription."
        )
    if registration.state == RegistrationState.WAITLISTED:
        position = selectors.waitlist_position(registration)
        return (
            f"La rencontre est complète : vous êtes n° {position} sur la liste d'attente. "
            "Un mail vous préviendra si une place se libère."
        )
    return "Vous êtes inscrit·e. L'invitation et votre code d'émargement partent par e-mail."


@login_not_required
@never_cache
def registration(request, token):
    """A person's registration: its state, the waitlist position, the invitation, the QR code."""
    registration = registration_from_token(token)
    meeting = registration.meeting
    context = {
        "registration": registration,
        "meeting": meeting,
        "position": selectors.waitlist_position(registration),
        "token": token,
        "awaits_confirmation": registration.state == RegistrationState.REGISTERED,
        "is_cancelled": registration.state == RegistrationState.CANCELLED,
        "may_cancel": _may_cancel(registration),
        "cancel_url": reverse(
            "network:registration_cancel", args=[registration_token(registration, CANCEL)]
        ),
    }
    return render(request, "network/registration/detail.html", context)


@login_not_required
@never_cache
def registration_confirm(request, token):
    """The link of the first mail: a page with the button that confirms the address."""
    registration = registration_from_token(token, CONFIRM)
    page_url = _page_url(registration)
    if registration.state != RegistrationState.REGISTERED:
        messages.info(request, "Votre adresse e-mail est déjà confirmée.")
        return redirect(page_url)
    meeting = registration.meeting
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=f"Confirmer votre inscription à « {meeting.title} » ?",
                consequences=[
                    f"Inscription de {registration.full_name} ({registration.email}).",
                    "S'il reste une place, elle est à vous et l'invitation part par e-mail ; "
                    "sinon, vous prenez place sur la liste d'attente.",
                ],
                action_url=request.path,
                button="Confirmer mon inscription",
                cancel_url=page_url,
            ),
        )
    try:
        registration = services.confirm_address(registration=registration)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _registered_message(registration))
    return redirect(page_url)


@login_not_required
@never_cache
def registration_cancel(request, token):
    """The cancellation link: a page with the button; the seat goes to the waitlist."""
    registration = registration_from_token(token, CANCEL)
    page_url = _page_url(registration)
    if refusal := REGISTRATION.refusal(registration, None, "cancel"):
        messages.info(request, refusal)
        return redirect(page_url)
    meeting = registration.meeting
    if not confirmed(request):
        consequences = [f"Inscription de {registration.full_name} ({registration.email})."]
        if registration.holds_seat:
            consequences.append(REGISTRATION["cancel"].confirm)
        consequences.append(
            "Vous pourrez vous inscrire de nouveau tant que les inscriptions sont ouvertes."
        )
        return confirmation_page(
            request,
            Confirmation(
                title=f"Annuler votre inscription à « {meeting.title} » ?",
                consequences=consequences,
                action_url=request.path,
                button="Annuler mon inscription",
                cancel_url=page_url,
                danger=True,
            ),
        )
    # The link is the person's key; signed in as its owner (or the coordination), it is them.
    actor = (
        request.user if allowed(request.user, "network.view_registration", registration) else None
    )
    try:
        services.cancel_registration(registration=registration, actor=actor)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "Votre inscription est annulée. Un mail vous le confirme.")
    return redirect(page_url)


def _seated(token):
    """A registration holding a seat: the others have no invitation and no QR code (404)."""
    registration = registration_from_token(token)
    return registration if registration.holds_seat else not_found()


@login_not_required
@never_cache
def registration_ics(request, token):
    """The invitation of a person with a seat, for their calendar."""
    name, content, content_type = mails.ics_file(_seated(token))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_not_required
@never_cache
def registration_qr(request, token):
    """The QR code of a person with a seat: it opens their check-in page for the coordination."""
    response = HttpResponse(qr.qr_svg(_seated(token)), content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    return response
