"""The network stage's writes, one module per concern (directory, meetings, registration,
attendance and the scheduled mails)."""
