from django.http import FileResponse


def private_file_response(
    file, filename: str, content_type: str, *, inline: bool = False
) -> FileResponse:
    """Send a stored file as a download, never cached by a proxy.

    ``inline`` shows it in the page instead (an image preview for the people
    who may see it).
    """
    response = FileResponse(
        file.open("rb"), as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def public_file_response(file, content_type: str, *, max_age: int = 3600) -> FileResponse:
    """Show a stored file that is public now (a published photo), cacheable for ``max_age``.

    Short-lived: once the content is withdrawn, caches forget it within the hour.
    """
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response
