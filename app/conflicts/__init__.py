"""Data conflicts: what is already wrong in the stored programme, seen without solving."""
