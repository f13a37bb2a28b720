"""The service layer: the sequences that the web views (API, moderation) call, between
validation at the edge and storage below; no Flask request objects, no HTTP statuses."""
