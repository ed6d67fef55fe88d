import html


def page(response) -> str:
    """Return the page as a person reads it: HTML entities decoded."""
    return html.unescape(response.content.decode())
