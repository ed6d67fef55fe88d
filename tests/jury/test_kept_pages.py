"""The jury pages kept per viewer ({% cached_fragment "jury-pages" %}): a change shows at once,
and nobody ever reads another person's page."""

import re

import pytest
from django.urls import reverse

from jury import services
from tests.jury.factories import jury_session
from tests.utils import page, sign_in

pytestmark = pytest.mark.django_db


def _scores(jury, value: str) -> dict:
    return {c.pk: {"value": value, "comment": ""} for c in jury.criteria}


def _text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return page(response)


def test_the_jurors_session_page_shows_a_declaration_at_once(client):
    jury = jury_session(projects=2, jurors=1)
    juror = jury.jurors[0]
    url = reverse("jury:session_detail", args=[jury.session.pk])
    sign_in(client, juror.user)
    assert _text(client, url).count("À déclarer") == 2

    services.declaration_save(
        member=juror, project=jury.projects[0], has_conflict=True, reason="Élu de la commune"
    )

    text = _text(client, url)
    assert text.count("À déclarer") == 1
    assert "Conflit déclaré" in text


def test_the_jurors_session_page_shows_a_renamed_association_at_once(client):
    jury = jury_session(projects=1, jurors=1)
    url = reverse("jury:session_detail", args=[jury.session.pk])
    sign_in(client, jury.jurors[0].user)
    _text(client, url)
    association = jury.projects[0].association
    association.name = "Les Jardins partagés du Plateau"
    association.save()

    assert "Les Jardins partagés du Plateau" in _text(client, url)


def test_two_jurors_in_one_browser_each_read_their_own_session_page(client):
    jury = jury_session(projects=1, jurors=2)
    first, second = jury.jurors
    services.declaration_save(
        member=first, project=jury.projects[0], has_conflict=True, reason="Trésorier"
    )
    url = reverse("jury:session_detail", args=[jury.session.pk])

    sign_in(client, first.user)
    as_first = _text(client, url)
    sign_in(client, second.user)
    as_second = _text(client, url)

    assert "Conflit déclaré" in as_first
    assert "Conflit déclaré" not in as_second
    assert "À déclarer" in as_second


def test_the_declarations_page_shows_a_declaration_saved_elsewhere_at_once(client):
    jury = jury_session(projects=1, jurors=1)
    juror, project = jury.jurors[0], jury.projects[0]
    url = reverse("jury:declarations", args=[jury.session.pk])
    sign_in(client, juror.user)
    assert "Déclaration actuelle : aucune pour l'instant" in _text(client, url)

    services.declaration_save(member=juror, project=project, has_conflict=False, reason="")

    text = _text(client, url)
    assert "Déclaration actuelle : aucun conflit d'intérêts" in text
    assert re.search(f'name="projet-{project.pk}-choice" value="none"[^>]* checked', text)


def test_the_evaluation_page_shows_a_draft_saved_in_another_tab_at_once(client):
    jury = jury_session(projects=1, jurors=1)
    juror, project = jury.jurors[0], jury.projects[0]
    services.declaration_save(member=juror, project=project, has_conflict=False, reason="")
    url = reverse("jury:evaluation", args=[jury.session.pk, project.pk])
    sign_in(client, juror.user)
    assert "État : pas encore commencée." in _text(client, url)

    services.evaluation_save(
        member=juror,
        project=project,
        scores=_scores(jury, "3"),
        general_comment="",
        version=None,
        submit=False,
    )

    text = _text(client, url)
    assert f'name="score_{jury.criteria[0].pk}" value="3"' in text
    assert "État : Brouillon" in text


def test_the_results_show_a_submission_at_once(client):
    jury = jury_session(projects=1, jurors=1)
    juror, project = jury.jurors[0], jury.projects[0]
    url = reverse("jury:results", args=[jury.session.pk])
    sign_in(client, jury.coordinator)
    assert "0/2" in _text(client, url)

    services.declaration_save(member=juror, project=project, has_conflict=False, reason="")
    services.evaluation_save(
        member=juror,
        project=project,
        scores=_scores(jury, "4"),
        general_comment="",
        version=None,
        submit=True,
    )

    assert "1/2" in _text(client, url)


def test_the_deliberation_and_proposal_pages_show_a_proposal_at_once(client):
    jury = jury_session(projects=1, jurors=1)
    project = jury.projects[0]
    deliberation = reverse("jury:deliberation", args=[jury.session.pk])
    proposal = reverse("jury:proposal_save", args=[jury.session.pk, project.pk])
    sign_in(client, jury.coordinator)
    assert "Aucune proposition enregistrée pour ce projet." in _text(client, deliberation)
    assert "Aucune proposition enregistrée pour ce projet." in _text(client, proposal)

    services.proposal_save(
        session=jury.session,
        project=project,
        actor=jury.coordinator,
        decision="not_selected",
        amount=0,
        justification="Projet à retravailler.",
    )

    assert "Projet à retravailler." in _text(client, deliberation)
    assert "Non retenu" in _text(client, proposal)
    assert "Aucune proposition enregistrée pour ce projet." not in _text(client, proposal)


def test_a_refused_proposal_shows_its_errors_not_the_kept_page(client):
    jury = jury_session(projects=1, jurors=1)
    project = jury.projects[0]
    url = reverse("jury:proposal_save", args=[jury.session.pk, project.pk])
    sign_in(client, jury.coordinator)
    client.get(url)

    response = client.post(url, {f"projet-{project.pk}-decision": "not_selected"})

    assert response.status_code == 400
    assert "Erreur : Ce champ est obligatoire." in page(response)


def test_the_deliberation_and_proposal_pages_show_a_new_envelope_at_once(client):
    """The envelope is read from the edition by the kept body only: a change shows at once."""
    jury = jury_session(projects=1, jurors=1)
    deliberation = reverse("jury:deliberation", args=[jury.session.pk])
    proposal = reverse("jury:proposal_save", args=[jury.session.pk, jury.projects[0].pk])
    sign_in(client, jury.coordinator)
    for url in (deliberation, proposal):
        assert "aucune enveloppe budgétaire n'est fixée" in _text(client, url)

    jury.edition.budget_envelope = 120000
    jury.edition.save()

    for url in (deliberation, proposal):
        text = _text(client, url)
        assert "aucune enveloppe budgétaire n'est fixée" not in text
        assert re.search(r"sur une enveloppe de 120\D000,00 €", text)


def test_the_session_page_shows_a_new_president_at_once(client):
    """The president is read by the kept body only (not with the session): a change shows."""
    jury = jury_session(projects=1, jurors=1)
    juror = jury.jurors[0]
    url = reverse("jury:session_detail", args=[jury.session.pk])
    sign_in(client, juror.user)
    assert str(juror.user) not in _text(client, url)

    jury.session.president = juror.user
    jury.session.save()

    assert str(juror.user) in _text(client, url)
