def portal(request):
    """Expose the portal's name to every template."""
    return {
        "portal_name": "Label Actions Innovantes",
        "publisher_name": "Établissement public territorial Grand-Orly Seine Bièvre",
    }
