"""The jury pages: what a closed session shows, the confirmations of final actions, the links."""

import html
import io
import re
from decimal import Decimal

import html5lib
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from jury import services
from jury.enums import Decision, EvaluationState, SessionState
from jury.models import JuryMember
from submissions.models import Project
from tests.factories import member_of
from tests.jury.factories import download_minutes, everyone_present, jury_session

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _text(response) -> str:
    """The page's main text, tags removed and spaces folded."""
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def _valid_html(response) -> None:
    html5lib.HTMLParser(strict=True).parse(response.content)


def _propose_all(jury, decisions=None):
    for index, project in enumerate(jury.projects):
        decision = (decisions or {}).get(index, Decision.NOT_SELECTED)
        services.proposal_save(
            session=jury.session,
            project=project,
            actor=jury.coordinator,
            decision=decision,
            amount=Decimal("1000") if decision == Decision.LAUREATE else Decimal("0"),
            justification="Une justification.",
        )


def _closed_jury(**kwargs):
    jury = jury_session(**kwargs)
    _propose_all(jury)
    services.session_close(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )
    jury.session.refresh_from_db()
    return jury


# --- 1. The closed state reads « Close » ------------------------------------------------------


def test_every_jury_state_label_is_the_portal_own_french():
    """No label of the jury's enums is replaced by Django's catalogue (« Close » → « Fermer »)."""
    from jury import enums

    with translation.override("fr"):
        for choices in (
            enums.SessionState,
            enums.EvaluationState,
            enums.Decision,
            enums.Attendance,
            enums.JurorQuality,
        ):
            for member in choices:
                assert type(member.label) is str, (choices, member)
        assert str(SessionState.CLOSED.label) == "Close"


def test_a_closed_session_reads_close_on_its_pages(client):
    jury = _closed_jury(projects=1, jurors=1)
    client.force_login(jury.coordinator)

    for url in [
        jury.session.get_absolute_url(),
        reverse("jury:session_list"),
        reverse("jury:results", args=[jury.session.pk]),
        reverse("jury:deliberation", args=[jury.session.pk]),
    ]:
        text = _text(client.get(url))
        assert "Close" in text, url
        assert "Fermer" not in text, url


# --- 2. A closed session offers no change -----------------------------------------------------


CHANGE_CONTROLS = [
    "Modifier la séance",
    "Retirer",
    "Monter",
    "Descendre",
    "Ajouter le juré",
    "Placer le projet",
    "Envoyer les convocations",
    "Ouvrir les évaluations",
    "Enregistrer les présences",
    "Clore la séance",
    "Enregistrer la proposition",
]


def test_a_closed_session_shows_no_edit_remove_reorder_or_add_control(client):
    jury = _closed_jury(projects=3, jurors=2)
    client.force_login(jury.coordinator)

    for url in [
        jury.session.get_absolute_url(),
        reverse("jury:deliberation", args=[jury.session.pk]),
        reverse("jury:criteria", args=[jury.edition.pk]),
    ]:
        text = _text(client.get(url))
        assert [c for c in CHANGE_CONTROLS if c in text] == [], url
    criteria_text = _text(client.get(reverse("jury:criteria", args=[jury.edition.pk])))
    assert "Ajouter le critère" not in criteria_text
    assert "Supprimer" not in criteria_text


def test_an_open_session_still_shows_its_controls(client):
    jury = jury_session(projects=3, jurors=2)
    client.force_login(jury.coordinator)

    text = _text(client.get(jury.session.get_absolute_url()))

    shown = ["Modifier la séance", "Retirer", "Monter", "Descendre", "Ajouter le juré"]
    assert [c for c in [*shown, "Envoyer les convocations"] if c not in text] == []


def test_the_form_of_a_closed_session_is_refused(client):
    jury = _closed_jury(projects=1, jurors=1)
    client.force_login(jury.coordinator)
    url = reverse("jury:session_update", args=[jury.session.pk])

    shown = client.get(url, follow=True)
    posted = client.post(url, {"title": "Nouveau titre"}, follow=True)

    for response in (shown, posted):
        assert response.redirect_chain == [(jury.session.get_absolute_url(), 302)]
        assert "Erreur : Cette séance est close : elle ne peut plus être modifiée." in _text(
            response
        )
    jury.session.refresh_from_db()
    assert jury.session.title != "Nouveau titre"


# --- 3. Closing asks for the attendance -------------------------------------------------------


def test_the_deliberation_page_links_to_the_closing_confirmation(client):
    jury = jury_session(projects=1, jurors=1)
    client.force_login(jury.president.user)

    content = client.get(reverse("jury:deliberation", args=[jury.session.pk])).content.decode()

    close_url = reverse("jury:session_close", args=[jury.session.pk])
    assert f'href="{close_url}"' in content
    assert f'action="{close_url}"' not in content


def test_closing_without_attendance_asks_for_it(client):
    jury = jury_session(projects=2, jurors=2)
    _propose_all(jury)
    client.force_login(jury.president.user)
    url = reverse("jury:session_close", args=[jury.session.pk])

    response = client.get(url)

    assert response.status_code == 200
    _valid_html(response)
    text = _text(response)
    assert f"Clore la séance « {jury.session.title} » ?" in text
    assert "Aucun juré n'est encore noté présent : cochez ci-dessous les présents." in text
    assert "Jurés présents à la séance" in text
    for member in jury.members:
        assert str(member.user) in text
    # A stray POST without the confirmation changes nothing.
    assert client.post(url).status_code == 200
    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.OPEN


def test_closing_with_nobody_checked_is_refused_and_nothing_changes(client):
    jury = jury_session(projects=1, jurors=2)
    _propose_all(jury)
    client.force_login(jury.president.user)

    response = client.post(
        reverse("jury:session_close", args=[jury.session.pk]), {"confirmed": "1"}
    )

    assert response.status_code == 400
    _valid_html(response)
    assert "Erreur : Cochez au moins un juré présent : la séance a besoin de son jury." in _text(
        response
    )
    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.OPEN


def test_closing_with_the_attendance_typed_on_the_page(client):
    jury = jury_session(projects=1, jurors=2)
    _propose_all(jury)
    client.force_login(jury.president.user)

    response = client.post(
        reverse("jury:session_close", args=[jury.session.pk]),
        {"confirmed": "1", "present": [str(jury.president.pk), str(jury.jurors[0].pk)]},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("jury:deliberation", args=[jury.session.pk]), 302)]
    assert _messages(response) == [
        "Séance close. Les propositions, les notes et les présences sont définitives."
    ]
    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.CLOSED
    assert list(JuryMember.objects.filter(present=False)) == [jury.jurors[1]]


def test_closing_with_recorded_absences_asks_to_confirm_them(client):
    jury = jury_session(projects=1, jurors=2)
    _propose_all(jury)
    absent = jury.jurors[1]
    services.attendance_record(
        session=jury.session,
        actor=jury.coordinator,
        present_ids={jury.president.pk, jury.jurors[0].pk},
    )
    client.force_login(jury.coordinator)
    url = reverse("jury:session_close", args=[jury.session.pk])

    text = _text(client.get(url))
    present = ", ".join(
        str(m.user) for m in jury.session.members.select_related("user") if m.present
    )
    assert f"Présents au procès-verbal : {present}. Absents : {absent.user}." in text
    assert f"Je confirme que ces jurés étaient absents : {absent.user}." in text
    assert "Jurés présents à la séance" not in text

    refused = client.post(url, {"confirmed": "1"})
    assert refused.status_code == 400
    assert "Erreur : Cochez la case pour confirmer ces absences" in _text(refused)
    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.OPEN

    closed = client.post(url, {"confirmed": "1", "absences_confirmed": "on"})
    assert closed.status_code == 302
    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.CLOSED


def test_the_closing_page_is_not_shown_while_a_proposal_is_missing(client):
    jury = jury_session(projects=1, jurors=1)
    client.force_login(jury.president.user)

    response = client.get(reverse("jury:session_close", args=[jury.session.pk]))

    assert response.status_code == 302
    assert _messages(response) == [
        f"Il manque la proposition du jury pour : {jury.projects[0].title}."
    ]


# --- 4. Publishing asks for confirmation ------------------------------------------------------


def test_publishing_says_what_will_happen_and_waits_for_the_confirmation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    jury = jury_session(projects=3, jurors=1)
    for project in jury.projects:
        member_of(project.association)
    _propose_all(jury, decisions={0: Decision.LAUREATE, 1: Decision.LAUREATE})
    services.session_close(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )
    client.force_login(jury.coordinator)
    url = reverse("jury:results_publish", args=[jury.edition.pk])

    assert f'href="{url}"' in client.get(reverse("jury:session_list")).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    _valid_html(page)
    text = _text(page)
    assert f"Publier les résultats — {jury.edition.title} ?" in text
    assert "2 projets deviennent lauréats, 1 projet non retenu." in text
    assert (
        "Le message des résultats aux 3 associations concernées est préparé dans les envois "
        "groupés : vous le relisez, puis vous l'envoyez." in text
    )
    assert "Cette action est définitive" in text
    assert client.post(url).status_code == 200  # not confirmed: nothing happens
    jury.edition.refresh_from_db()
    assert jury.edition.results_published_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirmed": "1"})

    assert response.status_code == 302
    assert response.url == reverse("notifications:outbox")
    assert _messages(response) == [
        "Résultats publiés : 2 lauréats, 1 non retenu ; le message aux 3 associations attend "
        "dans les envois groupés : relisez-le, puis envoyez-le."
    ]
    jury.edition.refresh_from_db()
    assert jury.edition.results_published_at is not None
    assert sorted(
        Project.objects.filter(pk__in=[p.pk for p in jury.projects]).values_list("state", flat=True)
    ) == ["laureate", "laureate", "not_selected"]


def test_publishing_an_edition_with_an_open_session_is_refused_before_confirming(client):
    jury = jury_session(projects=1, jurors=1)
    client.force_login(jury.coordinator)

    response = client.get(reverse("jury:results_publish", args=[jury.edition.pk]))

    assert response.status_code == 302
    assert _messages(response) == ["Toutes les séances doivent être closes avant la publication."]


# --- 5. The president downloads the minutes ---------------------------------------------------


def test_the_president_downloads_the_minutes_of_the_closed_session_not_the_scores(
    client, django_capture_on_commit_callbacks
):
    jury = _closed_jury(projects=1, jurors=1)
    client.force_login(jury.president.user)

    minutes = download_minutes(client, jury.session, django_capture_on_commit_callbacks)
    deliberation = client.get(reverse("jury:deliberation", args=[jury.session.pk]))

    assert minutes.status_code == 200
    assert minutes["Content-Type"] == "application/pdf"
    assert "Procès-verbal de la séance (PDF)" in _text(deliberation)
    assert "Notes par juré" not in _text(deliberation)
    for fmt in ("csv", "xlsx"):
        url = reverse("jury:scores_export", args=[jury.session.pk, fmt])
        assert client.get(url).status_code == 404


def test_the_minutes_wait_for_the_closing_for_the_president(client):
    jury = jury_session(projects=1, jurors=1)
    client.force_login(jury.president.user)

    assert client.get(reverse("jury:minutes", args=[jury.session.pk])).status_code == 404
    assert client.post(reverse("jury:minutes", args=[jury.session.pk])).status_code == 404
    text = _text(client.get(reverse("jury:deliberation", args=[jury.session.pk])))
    assert "Procès-verbal de la séance (PDF)" not in text


def test_another_juror_never_gets_the_minutes(client):
    jury = _closed_jury(projects=1, jurors=1)
    client.force_login(jury.jurors[0].user)

    assert client.get(reverse("jury:minutes", args=[jury.session.pk])).status_code == 404


# --- 7. The project page links to the feedback ------------------------------------------------


def test_the_project_page_links_to_the_feedback_once_published(client):
    jury = jury_session(projects=1, jurors=1)
    project = jury.projects[0]
    member = member_of(project.association)
    client.force_login(member)
    feedback_url = reverse("jury:feedback", args=[project.pk])
    project_url = reverse("submissions:project_detail", args=[project.pk])

    assert feedback_url not in client.get(project_url).content.decode()

    _propose_all(jury, decisions={0: Decision.LAUREATE})
    services.session_close(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )
    services.results_publish(edition=jury.edition, actor=jury.coordinator)

    response = client.get(project_url)
    assert f'href="{feedback_url}"' in response.content.decode()
    assert "Lire l'avis du jury sur ce projet" in _text(response)
    assert client.get(feedback_url).status_code == 200
    # The coordination sees the project, but the feedback is the association's.
    client.force_login(jury.coordinator)
    assert feedback_url not in client.get(project_url).content.decode()


# --- 9. Amendments show before and after ------------------------------------------------------


def _amended(jury):
    member, project = jury.jurors[0], jury.projects[0]
    services.declaration_save(member=member, project=project, has_conflict=False, reason="")
    grid = jury.criteria

    def scores(values, first_comment="Bien."):
        return {
            c.pk: {"value": v, "comment": first_comment if i == 0 else ""}
            for i, (c, v) in enumerate(zip(grid, values, strict=True))
        }

    evaluation = services.evaluation_save(
        member=member,
        project=project,
        scores=scores(["3", "3", "3", "3", "3"]),
        general_comment="",
        version=None,
        submit=True,
    )
    assert evaluation.state == EvaluationState.SUBMITTED
    services.evaluation_amend(
        member=member,
        project=project,
        scores=scores(["4", "3", "2,5", "3", "3"], first_comment="Très bien, après audition."),
        general_comment="",
        reason="Relu après l'audition.",
        version=evaluation.version,
    )
    return member, project


def test_an_amendment_shows_before_and_after_on_the_evaluation_page(client):
    jury = jury_session(projects=1, jurors=1)
    member, project = _amended(jury)
    client.force_login(member.user)

    text = _text(client.get(reverse("jury:evaluation", args=[jury.session.pk, project.pk])))

    first, third = jury.criteria[0].label, jury.criteria[2].label
    assert f"{first} : 3 → 4, commentaire modifié" in text
    assert f"{third} : 3 → 2,5" in text
    assert jury.criteria[1].label + " : 3 → 3" not in text
    assert "Motif : « Relu après l'audition. »" in text


def test_amendments_are_listed_with_their_changes_on_the_results_and_the_minutes(
    client, django_capture_on_commit_callbacks
):
    jury = jury_session(projects=1, jurors=1)
    member, project = _amended(jury)
    client.force_login(jury.coordinator)

    results = _text(client.get(reverse("jury:results", args=[jury.session.pk])))
    minutes = download_minutes(client, jury.session, django_capture_on_commit_callbacks)
    content = b"".join(minutes.streaming_content)
    pdf = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )

    for text in (results, pdf):
        assert "Évaluations modifiées après leur soumission" in text
        assert f"{project.title} — {member.user.get_full_name()}" in text
        assert f"{jury.criteria[0].label} : 3 → 4, commentaire modifié" in text
        assert f"{jury.criteria[2].label} : 3 → 2,5" in text
        assert "Motif : « Relu après l'audition. »" in text


def test_the_president_does_not_read_an_amendment_of_a_project_he_has_not_scored(client):
    jury = jury_session(projects=1, jurors=1)
    _amended(jury)
    client.force_login(jury.president.user)

    text = _text(client.get(reverse("jury:results", args=[jury.session.pk])))

    assert "Aucune évaluation n'a été modifiée après sa soumission." in text
    assert "Relu après l'audition." not in text


def _amended_times(jury, times: int):
    """``times`` amendments of one juror's evaluation, « Relecture n° 1 » first."""
    member, project = jury.jurors[0], jury.projects[0]
    services.declaration_save(member=member, project=project, has_conflict=False, reason="")
    evaluation = services.evaluation_save(
        member=member,
        project=project,
        scores={c.pk: {"value": "3", "comment": ""} for c in jury.criteria},
        general_comment="",
        version=None,
        submit=True,
    )
    for number in range(1, times + 1):
        evaluation = services.evaluation_amend(
            member=member,
            project=project,
            scores={c.pk: {"value": str(number % 5), "comment": ""} for c in jury.criteria},
            general_comment="",
            reason=f"Relecture n° {number}",
            version=evaluation.version,
        )


def test_the_amendments_on_the_results_page_come_20_at_a_time(client):
    jury = jury_session(projects=1, jurors=1)
    _amended_times(jury, 21)
    client.force_login(jury.coordinator)
    url = reverse("jury:results", args=[jury.session.pk])

    first = _text(client.get(url))
    second = _text(client.get(f"{url}?modifications=2&page=1"))

    assert "Modifications 1 à 20 sur 21." in first
    assert "« Relecture n° 20 »" in first
    assert "« Relecture n° 21 »" not in first
    assert "Modifications 21 à 21 sur 21." in second
    assert "« Relecture n° 21 »" in second
    assert "« Relecture n° 1 »" not in second
    # Each list's page links keep the other lists' pages.
    assert (
        "?page=1&amp;modifications=1"
        in client.get(f"{url}?modifications=2&page=1").content.decode()
    )


def test_the_results_page_costs_the_same_with_1_or_21_amendments(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for times in (1, 21):
        jury = jury_session(projects=1, jurors=1)
        _amended_times(jury, times)
        client.force_login(jury.coordinator)
        url = reverse("jury:results", args=[jury.session.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_a_president_sees_which_projects_hide_their_figures_from_him(client):
    jury = jury_session(projects=4, jurors=1)
    president, juror = jury.president, jury.jurors[0]
    evaluated, recused, *pending = jury.projects
    services.declarations_save(
        member=president,
        entries=[
            (p, p == recused, "Élu de la commune" if p == recused else "") for p in jury.projects
        ],
    )
    services.declarations_save(member=juror, entries=[(p, False, "") for p in jury.projects])
    scores = {c.pk: {"value": "4", "comment": ""} for c in jury.criteria}
    for member, project in [(president, evaluated), *[(juror, p) for p in jury.projects]]:
        services.evaluation_save(
            member=member,
            project=project,
            scores=scores,
            general_comment="",
            version=None,
            submit=True,
        )
    client.force_login(president.user)

    text = _text(client.get(reverse("jury:results", args=[jury.session.pk])))

    # Scored by the juror, but blind or recused for the president: how many scored, no figure.
    blind = "non classé {title} {association} — — — — 1/2 · chiffres après votre évaluation —"
    for project in pending:
        assert blind.format(title=project.title, association=project.association.name) in text
    assert (
        f"non classé {recused.title} {recused.association.name} — — — — "
        "1/1 · chiffres masqués : conflit d'intérêts —"
    ) in text
    assert "2/2 Pas de désaccord fort" in text
    # The notice counts the projects instead of naming them all.
    assert "Vous n'avez pas encore soumis votre évaluation de 2 projets" in text
    assert pending[0].title not in text.split("Classement")[0]
    assert f"Vous avez déclaré un conflit d'intérêts pour « {recused.title} »" in text


def test_a_president_without_a_seat_reads_no_figure(db):
    from jury import selectors

    jury = jury_session(projects=2, jurors=1)
    for project in jury.projects:
        services.declaration_save(
            member=jury.jurors[0], project=project, has_conflict=False, reason=""
        )
    JuryMember.objects.filter(pk=jury.president.pk).delete()
    jury.session.refresh_from_db()

    unsubmitted, recused = selectors.hidden_from_reader(jury.session, jury.president.user)

    assert unsubmitted == {p.pk for p in jury.projects}
    assert recused == set()


def test_a_recused_president_is_told_the_proposal_is_another_members_not_offered_a_form(client):
    jury = jury_session(projects=2, jurors=1)
    recused, other = jury.projects
    services.declarations_save(
        member=jury.president,
        entries=[(recused, True, "Élu de la commune"), (other, False, "")],
    )
    client.force_login(jury.president.user)
    deliberation = reverse("jury:deliberation", args=[jury.session.pk])

    page = client.get(deliberation)
    response = client.get(
        reverse("jury:proposal_save", args=[jury.session.pk, recused.pk]), follow=True
    )

    content = page.content.decode()
    assert reverse("jury:proposal_save", args=[jury.session.pk, other.pk]) in content
    assert reverse("jury:proposal_save", args=[jury.session.pk, recused.pk]) not in content
    assert (
        "Vous avez déclaré un conflit d'intérêts pour ce projet : sa proposition revient à un "
        "autre membre du jury ou à la coordination." in _text(page)
    )
    assert response.redirect_chain[0][0].startswith(deliberation)
    assert "Information : Vous avez déclaré un conflit d'intérêts pour ce projet" in _text(response)
    assert 'name="projet-' not in response.content.decode()


def test_a_coordinator_seated_on_the_jury_is_recused_like_any_juror(client):
    """Seating gives the juror's role: the page looks up his recusals (a coordinator
    without that role sits on no jury, and is offered every project's form)."""
    jury = jury_session(projects=2, jurors=1)
    recused, other = jury.projects
    coordinator = jury.coordinator
    seat = services.juror_add(
        session=jury.session,
        actor=coordinator,
        email=coordinator.email,
        first_name=coordinator.first_name,
        last_name=coordinator.last_name,
        quality="elu",
    )
    services.declarations_save(
        member=seat, entries=[(recused, True, "Élu de la commune"), (other, False, "")]
    )
    client.force_login(coordinator)

    refused = client.get(reverse("jury:proposal_save", args=[jury.session.pk, recused.pk]))
    offered = client.get(reverse("jury:proposal_save", args=[jury.session.pk, other.pk]))

    assert refused.status_code == 302
    assert _messages(refused) == [
        "Vous avez déclaré un conflit d'intérêts pour ce projet : sa proposition revient à un "
        "autre membre du jury ou à la coordination."
    ]
    assert offered.status_code == 200
    assert f'name="projet-{other.pk}-decision"' in offered.content.decode()


def test_a_coordinator_without_a_seat_is_offered_every_projects_proposal(client):
    jury = jury_session(projects=1, jurors=1)
    services.declarations_save(
        member=jury.jurors[0], entries=[(jury.projects[0], True, "Trésorier")]
    )
    client.force_login(jury.coordinator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("jury:proposal_save", args=[jury.session.pk, jury.projects[0].pk])
        )

    assert response.status_code == 200
    assert f'name="projet-{jury.projects[0].pk}-decision"' in response.content.decode()
    # Nobody's declarations are read for him: he holds no seat.
    assert not [q for q in queries if "jury_conflictdeclaration" in q["sql"]]
