"""The network stage's pages, one module per concern.

- ``directory``: the public directory, a member's page, profiles and the actors list;
- ``meetings``: the coordination's meetings (edit, publish, registrations, exports),
  the archive of past meetings;
- ``registration``: a meeting's public page, registering, confirming, cancelling;
- ``attendance``: the check-in, the attendance sheet and certificates.
"""
