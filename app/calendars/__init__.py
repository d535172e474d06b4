"""Proposed calendars: solve jobs, their live progress, approval and the published programme."""
