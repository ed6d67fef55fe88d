from django.http import FileResponse


def private_file_response(file, filename: str, content_type: str) -> FileResponse:
    """Send a stored file as a download: never shown inline, never cached by a proxy."""
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
