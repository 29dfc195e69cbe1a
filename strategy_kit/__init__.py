"""strategy-kit."""
