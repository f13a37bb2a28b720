"""The service layer: the sequences and rules of the domain that the web views (API,
moderation) call, between validation at the edge and storage below; no Flask request
objects, no HTTP statuses."""
