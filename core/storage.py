from django.core.files.storage import storages


def private_storage():
    """The storage of files that only authorised people may download."""
    return storages["private"]
