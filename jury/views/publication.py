"""Publishing the results, and the jury's feedback to each association."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.views import base_url
from jury import selectors, services
from jury.views._common import flash_errors


@require_POST
def results_publish(request, edition_pk):
    edition = get_object_or_404(selectors.editions_to_publish(request.user), pk=edition_pk)
    try:
        count = services.results_publish(
            edition=edition, actor=request.user, base_url=base_url(request)
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "Résultats publiés : %(count)s association prévenue.",
                "Résultats publiés : %(count)s associations prévenues.",
                count,
            )
            % {"count": count},
        )
    return redirect("jury:session_list")


def feedback(request, project_pk):
    data = selectors.feedback_for(request.user, project_pk)
    if data is None:
        raise Http404
    return render(request, "jury/association/feedback.html", data)
