"""A liaison officer's view: where the nation's units go and when, and what no longer fits."""
