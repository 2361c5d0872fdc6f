"""diacritics stage."""
