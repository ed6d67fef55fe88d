from django import template
from django.urls import reverse

from jury import selectors

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Look a key up in a dict from a template: {{ proposals|get_item:project.pk }}."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def jury_feedback_url(context, project) -> str:
    """The address of the jury's feedback on a project, for its association, or "".

    Pages of earlier stages (the project page of ``submissions``) load this tag
    instead of importing the jury app.
    """
    request = context.get("request")
    if request is None or project is None or not project.edition_id:
        return ""
    if not project.edition.results_published_at:
        return ""
    if not selectors.has_feedback(request.user, project):
        return ""
    return reverse("jury:feedback", args=[project.pk])


@register.simple_tag
def amendment_changes(amendment, criteria) -> dict:
    """What an amendment changed, criterion by criterion: {% amendment_changes a criteria as d %}."""
    return selectors.amendment_changes(amendment, criteria)
