def portal(request):
    """Expose the portal's name and the current page's URL name to every template."""
    match = getattr(request, "resolver_match", None)
    return {
        "portal_name": "Label Actions Innovantes",
        "publisher_name": "Établissement public territorial Grand-Orly Seine Bièvre",
        "current_view_name": match.view_name if match else "",
    }
