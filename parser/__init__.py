"""parser stage."""
