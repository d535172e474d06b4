"""Availability of nations and units: windows and blackouts, read and replaced whole."""
