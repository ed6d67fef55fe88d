"""The label certificate: its PDF for the laureate, its verification for anyone."""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from core import ratelimit
from core.forms import BootstrapFormMixin
from core.permissions import object_permission
from core.ratelimit import Limit, LimitReached
from laureates import selectors
from laureates.certificate import (
    certificate_facts,
    certificate_filename,
    certificate_pdf,
    normalise_code,
)
from laureates.views.space import laureate_of

logger = logging.getLogger(__name__)

VERIFY_LIMIT = "certificate_verify_ip"


@object_permission("laureates.use_label", get=laureate_of)
def certificate(request, laureate):
    """The « Attestation de labellisation » as a PDF download."""
    try:
        content = certificate_pdf(laureate)
    except Exception:
        logger.exception("Certificate of laureate %s could not be rendered", laureate.pk)
        messages.error(
            request,
            "L'attestation n'a pas pu être fabriquée. Réessayez dans quelques minutes ; "
            "si cela se reproduit, écrivez à la coordination du label.",
        )
        return redirect("laureates:space", pk=laureate.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(laureate)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class VerifyForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        max_length=40,
        help_text="Il est imprimé en bas de l'attestation : 12 lettres et chiffres, "
        "par exemple 7KQ4-M2XP-9DTA. Majuscules, minuscules et espaces sont acceptés.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                "Ce code n'a pas la forme d'un code d'attestation : il compte 12 lettres "
                "et chiffres (sans O, I, L, 0 ni 1), par exemple 7KQ4-M2XP-9DTA.",
                code="format",
            )
        return code


def _verify_context(**extra) -> dict:
    allowed, period = settings.RATE_LIMITS[VERIFY_LIMIT]
    hours = int(period.total_seconds() // 3600)
    return {"limit_count": allowed, "limit_hours": hours, **extra}


@login_not_required
@never_cache
def verify_form(request):
    """Type the code printed on a certificate; a valid one leads to its verification."""
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("laureates:verify", code=form.cleaned_data["code"])
    status = 400 if form.is_bound else 200
    return render(
        request, "laureates/certificate_verify_form.html", _verify_context(form=form), status=status
    )


@login_not_required
@never_cache
def verify(request, code):
    """Say whether a certificate with this code was issued, and what it says."""
    canonical = normalise_code(code)
    if canonical is not None and canonical != code:
        return redirect("laureates:verify", code=canonical)
    if canonical is not None:
        try:
            ratelimit.count(Limit(VERIFY_LIMIT, ratelimit.client_ip(request)))
        except LimitReached as reached:
            context = _verify_context(outcome="limited", retry_text=reached.retry_text)
            return render(request, "laureates/certificate_verify.html", context, status=429)
    laureate = selectors.certificate_by_code(canonical) if canonical else None
    if laureate is None:
        context = _verify_context(outcome="unknown", typed=canonical, form=VerifyForm())
        return render(request, "laureates/certificate_verify.html", context, status=404)
    context = _verify_context(outcome="authentic", facts=certificate_facts(laureate))
    return render(request, "laureates/certificate_verify.html", context)
