"""The jury's long lists come a page at a time, every action still reachable without script."""

import html
import re

from django.contrib.messages import get_messages
from django.urls import reverse

from jury.enums import Decision
from jury.models import ConflictDeclaration, Proposal
from tests.jury.factories import JuryMemberFactory
from tests.jury.test_query_counts import SCORED

scored = SCORED.fixture("scored")


def _text(response) -> str:
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _titles(response) -> list[int]:
    """The numbers of the « Projet auditionné n° N » the page shows, in order, once each."""
    numbers = re.findall(r"Projet auditionné n° (\d+)", _text(response))
    return list(dict.fromkeys(int(n) for n in numbers))


def test_deliberation_lists_twenty_projects_a_page_with_a_link_each_and_no_form(client, scored):
    _small, large = scored
    client.force_login(large.coordinator)
    url = reverse("jury:deliberation", args=[large.session.pk])

    first = client.get(url)
    second = client.get(f"{url}?page=2")

    assert _titles(first) == list(range(1, 21))
    assert _titles(second) == list(range(21, 31))
    content = first.content.decode()
    main = content.split("<main", 1)[1].split("</main>", 1)[0]
    # One form for the attendance, none per project.
    assert main.count("<form") == 1
    assert content.count(">Enregistrer la proposition<span") == 20
    assert "0 proposition enregistrée sur 30 projets ; projets 1 à 20" in _text(first)
    assert 'href="?page=2#titre-propositions"' in content
    assert "Page 2 sur 2" in _text(second)


def test_a_proposal_is_made_on_its_own_page_and_leads_back_to_its_place(client, scored):
    _small, large = scored
    project = large.projects[24]
    client.force_login(large.president.user)
    url = reverse("jury:proposal_save", args=[large.session.pk, project.pk])
    prefix = f"projet-{project.pk}"

    page = client.get(url)
    response = client.post(
        url,
        {
            f"{prefix}-decision": Decision.NOT_SELECTED,
            f"{prefix}-amount": "",
            f"{prefix}-justification": "Le budget reste à consolider.",
        },
    )

    assert page.status_code == 200
    assert "Proposition du jury pour « Projet auditionné n° 25 »" in _text(page)
    assert "Aucune proposition enregistrée pour ce projet." in _text(page)
    deliberation = reverse("jury:deliberation", args=[large.session.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{deliberation}?page=2#projet-{project.pk}"
    assert _messages(response) == ["Proposition enregistrée pour « Projet auditionné n° 25 »."]
    proposal = Proposal.objects.get(session=large.session, project=project)
    assert (proposal.decision, proposal.justification) == (
        Decision.NOT_SELECTED,
        "Le budget reste à consolider.",
    )
    listed = _text(client.get(f"{deliberation}?page=2"))
    assert "1 proposition enregistrée sur 30 projets" in listed
    assert "Modifier la proposition pour « Projet auditionné n° 25 »" in listed
    again = _text(client.get(url))
    assert "Non retenu" in again and "Modifier la proposition" in again


def test_results_rank_twenty_projects_a_page(client, scored):
    _small, large = scored
    client.force_login(large.coordinator)
    url = reverse("jury:results", args=[large.session.pk])

    first, second = client.get(url), client.get(f"{url}?page=2&normalise=2")

    assert (
        "Classement des projets par moyenne des totaux pondérés (sur 100), projets 1 à 20 sur 30"
        in _text(first)
    )
    assert "projets 21 à 30 sur 30" in _text(second)
    # Each ranking keeps the other one's page in its links.
    content = second.content.decode()
    assert 'href="?normalise=2&amp;page=1#titre-section-classement"' in content
    assert 'href="?page=2&amp;normalise=1#titre-section-normalise"' in content


def test_the_running_order_comes_a_page_at_a_time_and_moves_across_pages(client, scored):
    _small, large = scored
    client.force_login(large.coordinator)
    url = reverse("jury:session_detail", args=[large.session.pk])

    second = client.get(f"{url}?ordre=2")
    content = second.content.decode()
    first_of_second_page = large.auditions[20]
    move_up = reverse(
        "jury:audition_action", args=[large.session.pk, first_of_second_page.pk, "monter"]
    )
    moved = client.post(move_up)

    assert "Les projets de la séance, dans l'ordre de passage (21 à 30 sur 30)" in _text(second)
    # The first of a later page still moves up, onto the page before.
    assert f'action="{move_up}"' in content
    assert content.count('name="duration_minutes"') == 10
    assert moved["Location"] == f"{url}#ordre-de-passage"
    order = list(large.session.auditions.values_list("project__title", flat=True))
    assert order[19:21] == ["Projet auditionné n° 21", "Projet auditionné n° 20"]


def test_a_juror_declares_a_page_at_a_time_then_goes_back_to_the_session(client, scored):
    _small, large = scored
    newcomer = JuryMemberFactory(session=large.session)
    client.force_login(newcomer.user)
    url = reverse("jury:declarations", args=[large.session.pk])

    def declare_page(response):
        numbers = _titles(response)
        projects = [large.projects[n - 1] for n in numbers]
        return {f"projet-{p.pk}-choice": "none" for p in projects} | {
            f"projet-{p.pk}-reason": "" for p in projects
        }

    session_page = _text(client.get(reverse("jury:session_detail", args=[large.session.pk])))
    first = client.get(url)
    saved_first = client.post(url, declare_page(first))
    second = client.get(saved_first["Location"])
    saved_second = client.post(saved_first["Location"], declare_page(second))

    assert "Déclarer mes conflits d'intérêts" in session_page
    assert _titles(first) == list(range(1, 21))
    assert saved_first["Location"] == f"{url}?page=2"
    assert _messages(saved_first) == [
        "Vos déclarations sont enregistrées. 10 projets attendent encore votre déclaration."
    ]
    assert _titles(second) == list(range(21, 31))
    assert saved_second["Location"] == large.session.get_absolute_url()
    assert _messages(saved_second)[-1] == "Vos déclarations sont enregistrées."
    assert ConflictDeclaration.objects.filter(member=newcomer, has_conflict=False).count() == 30


def test_a_proposal_page_of_a_closed_session_leads_back_to_the_deliberation(client, db):
    from jury import services
    from tests.jury.factories import everyone_present, jury_session

    jury = jury_session(projects=1, jurors=1)
    services.proposal_save(
        session=jury.session,
        project=jury.projects[0],
        actor=jury.coordinator,
        decision=Decision.NOT_SELECTED,
        amount=0,
        justification="Hors du cadre du label.",
    )
    services.session_close(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )
    client.force_login(jury.coordinator)

    response = client.get(
        reverse("jury:proposal_save", args=[jury.session.pk, jury.projects[0].pk])
    )

    deliberation = reverse("jury:deliberation", args=[jury.session.pk])
    assert response["Location"] == f"{deliberation}#projet-{jury.projects[0].pk}"
    assert _messages(response) == ["Séance close : les propositions du jury sont définitives."]
