"""The directory of the network: the public list and map, a member's page, the profiles,
the coordination's list of members, and the signed-in hub of the network."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.shortcuts import redirect, render
from django.urls import reverse

from core import public_cache
from core.forms import attach_errors
from core.permissions import allowed, object_permission, or_404, permission
from core.stale import StaleComparison, StaleWrite, differences
from core.text import plural
from laureates.map import MapSubject, communes_map
from network import selectors
from network.enums import Audience
from network.filters import DirectoryFilter, MemberAdminFilter
from network.forms import MemberAddForm, ProfileEditForm, audience_preview
from network.services import directory as services

PAGE_SIZE = 20
ADMIN_PAGE_SIZE = 50


def _member_count(count: int) -> str:
    if not count:
        return "aucun membre"
    return f"{count} {plural(count, 'membre', 'membres')}"


MEMBERS = MapSubject(
    title="Carte des membres du réseau par commune",
    column="Membres",
    caption="Nombre de membres du réseau par commune",
    count_label=_member_count,
    figure_note="Le chiffre sur une commune est le nombre de membres qui y agissent.",
    link_note="Chaque commune est un lien vers ses membres.",
)


def _chosen(request, filterset) -> list[tuple[str, str]]:
    """The filters as chosen, for the page links."""
    return [
        (name, value) for name, value in request.GET.items() if name in filterset.filters and value
    ]


@login_not_required
@public_cache.public_page()
def index(request):
    """/reseau/: the network, its next meeting, its members (filtered, 20 a page) and map."""
    audiences = selectors.audiences_for(request.user)
    members = selectors.directory_members(audiences)
    directory = DirectoryFilter(
        request.GET or None,
        queryset=selectors.with_profile(members).order_by(Lower("name"), "pk"),
        audiences=audiences,
    )
    valid = not directory.is_bound or directory.is_valid()
    rows = directory.qs if valid else members.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    chosen = _chosen(request, directory)
    index_url = reverse("network:index")
    meeting = selectors.upcoming_meeting()
    return render(
        request,
        "network/directory/index.html",
        {
            "filter": directory,
            "page_obj": page,
            "paginator": page.paginator,
            "profiles": [selectors.profile_for(member, audiences) for member in page],
            "query": urlencode(chosen),
            "is_filtered": bool(chosen),
            "insider": Audience.MEMBERS in audiences,
            "meeting": meeting,
            "seats_left": selectors.seats_left(meeting) if meeting else None,
            "members_map": communes_map(
                selectors.member_counts_by_commune(members, audiences),
                subject=MEMBERS,
                url=lambda insee: f"{index_url}?commune={insee}",
            ),
        },
        status=200 if valid else 400,
    )


@login_not_required
@public_cache.public_page()
def member(request, slug: str):
    """/reseau/membres/<slug>/: what this member shows to this reader; 404 when not listed
    for them (a laureate association before its card is public, a deactivated member)."""
    found = or_404(
        selectors.with_profile(selectors.members_visible_to(request.user)).filter(slug=slug).first()
    )
    audiences = selectors.audiences_for(request.user)
    return render(
        request,
        "network/directory/member_detail.html",
        {
            "profile": selectors.profile_for(found, audiences),
            "insider": Audience.MEMBERS in audiences,
            "may_edit": allowed(request.user, "network.change_member", found),
        },
    )


def space(request):
    """/espace/reseau/: my network profiles, my meeting registrations, the coordination's
    links."""
    user = request.user
    return render(
        request,
        "network/space.html",
        {
            "own_profiles": list(selectors.own_profiles(user)),
            "my_registrations": selectors.registrations_of(user),
            "manages_members": allowed(user, "network.manage_members"),
            "manages_meetings": allowed(user, "network.manage_meetings"),
        },
    )


@permission("network.manage_members")
def members_admin(request):
    """Every member, by kind and active or not (50 a page); POST: the laureates join."""
    if request.method == "POST":
        count = services.sync_laureate_members()
        if count:
            messages.success(
                request,
                plural(
                    count,
                    "%(count)s association lauréate a rejoint le réseau.",
                    "%(count)s associations lauréates ont rejoint le réseau.",
                )
                % {"count": count},
            )
        else:
            messages.info(request, "Chaque association lauréate est déjà membre du réseau.")
        return redirect("network:members_admin")
    members_filter = MemberAdminFilter(
        request.GET or None, queryset=selectors.members_for_coordination()
    )
    valid = not members_filter.is_bound or members_filter.is_valid()
    rows = members_filter.qs if valid else members_filter.queryset.none()
    page = Paginator(rows, ADMIN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/directory/members_admin.html",
        {
            "filter": members_filter,
            "page_obj": page,
            "paginator": page.paginator,
            "query": urlencode(_chosen(request, members_filter)),
        },
    )


@permission("network.manage_members")
def member_add(request):
    """The coordination adds a partner, a structure or a chef de projet."""
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.member_add(
                actor=request.user,
                data=form.profile_data(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, f"« {added.name} » a rejoint le réseau.")
            return redirect("network:members_admin")
    return render(
        request,
        "network/directory/member_form.html",
        {"form": form, "adding": True},
        status=400 if request.method == "POST" else 200,
    )


def _editable(request, pk):
    return selectors.members_editable_by(request.user).filter(pk=pk).first()


@object_permission("network.change_member", get=_editable)
def member_edit(request, member):
    """A member's profile and who sees each piece: its association, or the coordination."""
    coordination = allowed(request.user, "network.manage_members")
    form = ProfileEditForm(
        request.POST or None,
        instance=member,
        coordination=coordination,
        initial={"version": member.version},
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.member_save(
                member=member,
                actor=request.user,
                data=form.profile_data(),
                version=form.cleaned_data["version"],
            )
        except StaleWrite as error:
            # What was typed stays, on top of the version saved meanwhile: saving again works.
            member.refresh_from_db()
            theirs = {
                name: list(member.communes.all()) if name == "communes" else getattr(member, name)
                for name in form.fields
                if name != "version"
            }
            stale = StaleComparison.since(member, error, differences(form, theirs))
            data = request.POST.copy()
            data["version"] = member.version
            form = ProfileEditForm(data, instance=member, coordination=coordination)
            form.is_valid()
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Profil du réseau enregistré.")
            return redirect("network:members_admin" if coordination else "network:space")
    return render(
        request,
        "network/directory/member_form.html",
        {
            "form": form,
            "member": member,
            "preview": audience_preview(form.instance),
            "coordination": coordination,
            "stale": stale,
        },
        status=400 if request.method == "POST" else 200,
    )
