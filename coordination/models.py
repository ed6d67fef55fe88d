"""The coordination's tools: the edition's dashboard, the exports and the audit trail."""
