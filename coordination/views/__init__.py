"""The coordination's pages: the dashboard, the exports and the audit trail."""
