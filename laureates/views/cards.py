"""The coordination's showcases, the laureates' cards, and the public photo of a card."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.confirm import known_transition, take_transition
from core.downloads import private_file_response, public_file_response
from core.forms import attach_errors, flash_errors
from core.permissions import allowed, object_permission, or_404, permission
from core.stale import StaleComparison, StaleWrite, differences
from core.text import plural
from laureates import selectors
from laureates.enums import CardState
from laureates.forms import CardForm, ShowcaseForm
from laureates.photos import photo_content_type
from laureates.services import cards as services
from laureates.workflows import CARD, SHOWCASE, card_moves, missing_for_card

ROLE_HELP = "Il reste dans l'historique de la fiche, visible de la coordination."


def _edition(request, year):
    """The edition with laureates, for the coordination (``object_permission``)."""
    return selectors.showcase_editions(request.user).filter(year=year).first()


def _card(request, pk):
    return selectors.card_for_editing(request.user, pk)


@permission("laureates.manage_showcase")
def showcase_list(request):
    """The editions with laureates, their showcase's state and their cards."""
    return render(
        request,
        "laureates/cards/showcase_list.html",
        {"editions": selectors.showcase_editions(request.user)},
    )


@object_permission("laureates.manage_showcase", get=_edition)
def showcase(request, edition):
    """One edition: its cards and their review, the showcase's settings and publication."""
    showcase = getattr(edition, "showcase", None)
    form = ShowcaseForm(request.POST or None, instance=showcase)
    if request.method == "POST" and form.is_valid():
        try:
            services.showcase_settings_save(
                edition=edition,
                actor=request.user,
                show_amounts=form.cleaned_data["show_amounts"],
                intro=form.cleaned_data["intro"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Réglages de la vitrine enregistrés.")
            return redirect("laureates:showcase", year=edition.year)
    cards = list(selectors.edition_cards(edition))
    rows = [
        {"card": card, "missing": missing_for_card(card), "moves": card_moves(card, request.user)}
        for card in cards
    ]
    return render(
        request,
        "laureates/cards/showcase_detail.html",
        {
            "edition": edition,
            "showcase": showcase,
            "rows": rows,
            "not_ready": sum(1 for card in cards if card.state == CardState.DRAFT),
            "without_card": list(selectors.projects_without_card(edition)),
            "showcase_moves": SHOWCASE.available(showcase, request.user) if showcase else [],
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@object_permission("laureates.manage_showcase", get=_edition)
def cards_create(request, edition):
    """Create the cards of the laureate projects that have none (a double click: once)."""
    count = services.cards_create(edition=edition, actor=request.user)
    if count:
        messages.success(
            request,
            plural(count, "%(count)s fiche créée.", "%(count)s fiches créées.") % {"count": count},
        )
    else:
        messages.info(request, "Chaque projet lauréat a déjà sa fiche.")
    return redirect("laureates:showcase", year=edition.year)


@known_transition(SHOWCASE)
@object_permission("laureates.manage_showcase", get=_edition)
def showcase_transition(request, edition, name):
    """Publish or withdraw the showcase, once confirmed; publishing publishes the ready cards."""
    showcase = or_404(getattr(edition, "showcase", None))
    back_url = reverse("laureates:showcase", args=[edition.year])
    outcome = {}

    def take(reason):
        outcome["result"] = services.showcase_transition(
            showcase=showcase, actor=request.user, name=name, reason=reason
        )

    response = take_transition(
        request,
        title=f"Projets primés en {edition.year}",
        transition=SHOWCASE[name],
        check=lambda: services.showcase_transition_check(
            showcase=showcase, actor=request.user, name=name
        ),
        take=take,
        back_url=back_url,
        reason_help=ROLE_HELP,
    )
    if name == "publish" and (result := outcome.get("result")):
        messages.info(
            request,
            "{published} ; {not_ready}.".format(
                published=plural(
                    result.published, "%(count)s fiche publiée", "%(count)s fiches publiées"
                )
                % {"count": result.published},
                not_ready=plural(
                    result.not_ready,
                    "%(count)s fiche pas encore prête, restée cachée",
                    "%(count)s fiches pas encore prêtes, restées cachées",
                )
                % {"count": result.not_ready},
            ),
        )
    return response


@known_transition(CARD)
@object_permission("laureates.manage_showcase", get=_card)
def card_transition(request, card, name):
    """Move one card (mark ready, publish alone, withdraw…)."""
    return take_transition(
        request,
        title=card.title,
        transition=CARD[name],
        check=lambda: services.card_transition_check(card=card, actor=request.user, name=name),
        take=lambda reason: services.card_transition(
            card=card, actor=request.user, name=name, reason=reason
        ),
        back_url=reverse("laureates:showcase", args=[card.year]),
        reason_help=ROLE_HELP,
    )


@object_permission("laureates.change_card", get=_card)
def card_edit(request, card):
    """The public card, edited by the coordination with the association."""
    may_set_amount = allowed(request.user, "laureates.set_card_amount", card)
    form = CardForm(
        request.POST or None,
        request.FILES or None,
        instance=card,
        initial={"version": card.version},
        may_set_amount=may_set_amount,
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.card_save(
                card=card,
                actor=request.user,
                data=form.card_data(),
                version=form.cleaned_data["version"],
                photo=form.cleaned_data.get("photo"),
                remove_photo=form.cleaned_data.get("remove_photo", False),
            )
        except StaleWrite as error:
            card.refresh_from_db()
            theirs = {
                name: list(card.qpvs.all()) if name == "qpvs" else getattr(card, name)
                for name in form.fields
                if name not in {"version", "photo", "remove_photo"}
            }
            stale = StaleComparison.since(card, error, differences(form, theirs))
            data = request.POST.copy()
            data["version"] = card.version
            form = CardForm(data, instance=card, may_set_amount=may_set_amount)
            form.is_valid()
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Fiche enregistrée.")
            if allowed(request.user, "laureates.manage_showcase"):
                return redirect("laureates:showcase", year=card.year)
            return redirect("laureates:card_edit", pk=card.pk)
    elif request.method == "POST":
        flash_errors(
            request,
            ValidationError("La fiche n'est pas enregistrée : corrigez les champs signalés."),
        )
    return render(
        request,
        "laureates/cards/card_form.html",
        {
            "card": card,
            "form": form,
            "stale": stale,
            "missing": missing_for_card(card),
            "manages": allowed(request.user, "laureates.manage_showcase"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
def photo(request, pk):
    """The photo of a public card; any other card's photo does not exist for anyone."""
    card = or_404(selectors.public_photo_card(pk))
    return public_file_response(card.photo, photo_content_type(card.photo.name))


@object_permission("laureates.change_card", get=_card)
def photo_preview(request, card):
    """The card's photo for the people who edit it, whether the card is public or not."""
    or_404(card.photo or None)
    return private_file_response(
        card.photo, f"photo-{card.pk}", photo_content_type(card.photo.name), inline=True
    )
