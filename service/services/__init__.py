"""Services between the web layer and storage: the sequences and rules of the domain."""
