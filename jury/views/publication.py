"""Publishing the results, and the jury's feedback to each association."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from core.confirm import Confirmation, confirmation_page
from core.permissions import object_permission, or_404
from core.text import plural
from jury import selectors, services
from jury.views._common import flash_errors


def _outcome_sentence(outcome: dict) -> str:
    laureates = plural(
        outcome["laureates"],
        "%(count)s projet devient lauréat",
        "%(count)s projets deviennent lauréats",
    ) % {"count": outcome["laureates"]}
    not_selected = plural(
        outcome["not_selected"],
        "%(count)s projet non retenu",
        "%(count)s projets non retenus",
    ) % {"count": outcome["not_selected"]}
    return f"{laureates}, {not_selected}."


def _edition(request, edition_pk):
    return selectors.editions_to_publish(request.user).filter(pk=edition_pk).first()


@object_permission("jury.publish_results", get=_edition)
def results_publish(request, edition):
    """GET says what publishing will do; only a confirmed POST publishes."""
    try:
        services.results_publish_check(edition=edition, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("jury:session_list")
    outcome = selectors.publication_outcome(edition)
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            count = services.results_publish(edition=edition, actor=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                "Résultats publiés : {laureates}, {not_selected} ; {told}.".format(
                    laureates=plural(
                        outcome["laureates"], "%(count)s lauréat", "%(count)s lauréats"
                    )
                    % {"count": outcome["laureates"]},
                    not_selected=plural(
                        outcome["not_selected"], "%(count)s non retenu", "%(count)s non retenus"
                    )
                    % {"count": outcome["not_selected"]},
                    told=plural(
                        count,
                        "le message à %(count)s association attend dans les envois groupés : "
                        "relisez-le, puis envoyez-le",
                        "le message aux %(count)s associations attend dans les envois "
                        "groupés : relisez-le, puis envoyez-le",
                    )
                    % {"count": count},
                ),
            )
            return redirect("notifications:outbox")
        return redirect("jury:session_list")
    associations = outcome["associations"]
    confirm = Confirmation(
        title=f"Publier les résultats — {edition.title} ?",
        consequences=[
            _outcome_sentence(outcome),
            plural(
                associations,
                "Le message des résultats à l'association concernée est préparé dans les envois "
                "groupés : vous le relisez, puis vous l'envoyez. Elle lit l'avis du jury sur le "
                "portail.",
                "Le message des résultats aux %(count)s associations concernées est préparé dans "
                "les envois groupés : vous le relisez, puis vous l'envoyez. Elles lisent l'avis "
                "du jury sur le portail.",
            )
            % {"count": associations},
            "Cette action est définitive : les résultats publiés ne peuvent plus changer.",
        ],
        action_url=reverse("jury:results_publish", args=[edition.pk]),
        button="Publier les résultats",
        cancel_url=reverse("jury:session_list"),
        danger=True,
    )
    return confirmation_page(request, confirm)


def feedback(request, project_pk):
    # The selector is the rule: the association's own project, once the results are out.
    data = or_404(selectors.feedback_for(request.user, project_pk))
    return render(request, "jury/association/feedback.html", data)
