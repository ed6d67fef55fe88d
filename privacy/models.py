"""Each person's rights on their data: download it, erase the account; the retention periods."""
