"""The audit trail: browse and filter it, read one entry, export what the filters keep."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from coordination import audit, selectors
from coordination.filters import AuditFilter
from core.exports import export_response
from core.permissions import object_permission, permission

PAGE_SIZE = 50
# An export reads the trail by slices, each with its objects.
EXPORT_CHUNK = 2000
EXPORT_HEADER = [
    "Date",
    "Personne",
    "Ce qui a été fait",
    "Type d'objet",
    "N° de l'objet",
    "Motif",
    "Avant / après",
]


def _filtered(request) -> AuditFilter:
    return AuditFilter(
        request.GET or None, queryset=selectors.audit_events_visible_to(request.user)
    )


def _entries(events) -> list[audit.Entry]:
    return [audit.entry(event) for event in selectors.with_subjects(list(events))]


@permission("coordination.view_audit")
def audit_list(request):
    """The trail, newest first, filtered by person, object, kind of action and dates."""
    trail = _filtered(request)
    page = Paginator(trail.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordination/audit_list.html",
        {
            "filter": trail,
            "page_obj": page,
            "entries": _entries(page.object_list),
            "query": query.urlencode(),
        },
        status=400 if trail.is_bound and not trail.is_valid() else 200,
    )


def _event(request, pk):
    return selectors.audit_event_of(request.user, pk)


@object_permission("coordination.view_audit", get=_event)
def audit_event(request, event):
    """One entry: who, when, what, the reason and the before/after table."""
    return render(
        request,
        "coordination/audit_event.html",
        {
            "event": event,
            "entry": audit.entry(event),
            "crumb": f"Entrée n° {event.pk}",
            "kind": audit.kind_label(event.content_type),
            "changes": audit.changes_table(event, criteria=audit.criteria_names([event])),
        },
    )


def _export_rows(events, *, comments: bool):
    events = list(events)
    criteria = audit.criteria_names(events)
    for start in range(0, len(events), EXPORT_CHUNK):
        for entry in _entries(events[start : start + EXPORT_CHUNK]):
            event = entry.event
            changes = audit.changes_table(event, criteria=criteria, comments=comments)
            yield [
                event.created_at,
                audit.actor_name(event),
                entry.sentence,
                audit.kind_label(event.content_type),
                event.object_id,
                event.reason,
                "\n".join(f"{row.label} : {row.before} → {row.after}" for row in changes),
            ]


@permission("coordination.view_audit")
def audit_export(request, fmt):
    """The entries the filters keep, as CSV or XLSX; the export is itself recorded.

    Jurors' comments (in an evaluation's amendments) are left out unless the
    coordinator asks for them (« commentaires »).
    """
    trail = _filtered(request)
    events = trail.qs if not trail.is_bound or trail.is_valid() else trail.queryset.none()
    comments = request.GET.get("commentaires") == "1"
    return export_response(
        actor=request.user,
        subject=request.user,
        what="Journal des événements",
        fmt=fmt,
        filename=f"journal-{timezone.localdate():%Y-%m-%d}",
        header=EXPORT_HEADER,
        rows=_export_rows(events, comments=comments),
    )
