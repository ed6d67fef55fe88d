"""What the portal tells people: in-app notifications, their choices, the outbox of mass mailings."""
