"""Open data: every public laureate as CSV and JSON, and the page that documents the files."""

import json

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from core import public_cache
from core.exports import csv_response
from core.links import absolute_url
from laureates import opendata, selectors
from laureates.filters import LaureateFilter
from submissions.enums import Theme

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def _filename(extension: str) -> str:
    return f"{opendata.FILENAME_STEM}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _bad_filter(error: ValidationError) -> HttpResponse:
    return HttpResponseBadRequest(
        "\n".join(error.messages) + "\n", content_type="text/plain; charset=utf-8"
    )


def _laureates(request):
    """The public cards the query parameters ask for, ready for the columns."""
    laureates = opendata.filter_laureates(selectors.public_laureates(), request.GET)
    return selectors.open_data_laureates(laureates)


@login_not_required
@require_GET
@public_cache.public_page()
def export_csv(request):
    try:
        laureates = _laureates(request)
    except ValidationError as error:
        return _bad_filter(error)
    header = [column.header for column in opendata.COLUMNS]
    response = csv_response(_filename("csv"), header, opendata.csv_rows(laureates))
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_GET
@public_cache.public_page()
def export_json(request):
    try:
        laureates = _laureates(request)
    except ValidationError as error:
        return _bad_filter(error)
    records = opendata.json_records(laureates)
    document = {
        "licence": opendata.LICENCE,
        "licence_url": opendata.LICENCE_URL,
        "source": opendata.SOURCE,
        "documentation": absolute_url(reverse("laureates:open_data")),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "filters": {
            name: request.GET[name] for name in LaureateFilter.base_filters if request.GET.get(name)
        },
        "count": len(records),
        "laureates": records,
    }
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode("utf-8"), content_type=JSON_CONTENT_TYPE)
    # Shown in the browser, saved under a dated name.
    response["Content-Disposition"] = content_disposition_header(False, _filename("json"))
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_GET
@public_cache.public_page()
def open_data(request):
    """Explain the files: formats, filters, columns, licence."""
    return render(
        request,
        "laureates/open_data.html",
        {
            "columns": opendata.COLUMNS,
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "source": opendata.SOURCE,
            "themes": Theme.choices,
        },
    )
