"""The fixed tables the scenario generator draws from: nations, capabilities, sites, names.

Coordinates are rough national centres (degrees), good enough for travel distances.
"""

from __future__ import annotations

# NATO allies: ISO 3166-1 alpha-2 code -> (lat, lon, size weight for declared units)
ALLIES: dict[str, tuple[float, float, float]] = {
    "AL": (41.3, 19.8, 0.6),
    "BE": (50.8, 4.4, 1.0),
    "BG": (42.7, 25.3, 0.9),
    "CA": (45.4, -75.7, 1.6),
    "HR": (45.1, 15.2, 0.7),
    "CZ": (49.8, 15.5, 1.0),
    "DK": (56.0, 10.0, 0.9),
    "EE": (58.6, 25.0, 0.6),
    "FI": (61.9, 25.7, 1.1),
    "FR": (46.6, 2.4, 2.4),
    "DE": (51.2, 10.4, 2.4),
    "GR": (39.1, 22.0, 1.2),
    "HU": (47.2, 19.5, 0.9),
    "IS": (64.9, -18.6, 0.3),
    "IT": (42.8, 12.6, 2.0),
    "LV": (56.9, 24.6, 0.6),
    "LT": (55.2, 23.9, 0.7),
    "LU": (49.8, 6.1, 0.3),
    "ME": (42.7, 19.4, 0.4),
    "NL": (52.1, 5.3, 1.2),
    "MK": (41.6, 21.7, 0.5),
    "NO": (61.0, 9.0, 1.1),
    "PL": (52.0, 19.1, 1.9),
    "PT": (39.6, -8.0, 0.9),
    "RO": (45.9, 24.9, 1.3),
    "SK": (48.7, 19.7, 0.7),
    "SI": (46.1, 14.8, 0.5),
    "ES": (40.4, -3.7, 1.7),
    "SE": (62.0, 15.0, 1.2),
    "TR": (39.0, 35.2, 2.0),
    "GB": (53.0, -1.5, 2.4),
    "US": (39.0, -98.0, 3.0),
}

# Partnership for Peace partners (Europe and Central Asia): they may host sites.
PARTNERS: dict[str, tuple[float, float, float]] = {
    "AT": (47.5, 14.5, 0.9),
    "IE": (53.4, -8.2, 0.6),
    "CH": (46.8, 8.2, 0.8),
    "MT": (35.9, 14.4, 0.3),
    "AM": (40.1, 45.0, 0.5),
    "AZ": (40.1, 47.6, 0.6),
    "BY": (53.7, 28.0, 0.5),
    "GE": (42.3, 43.4, 0.6),
    "KZ": (48.0, 67.0, 0.8),
    "KG": (41.2, 74.8, 0.4),
    "MD": (47.4, 28.4, 0.4),
    "RS": (44.0, 21.0, 0.7),
    "TJ": (38.9, 71.3, 0.4),
    "TM": (38.97, 59.6, 0.3),
    "UA": (48.4, 31.2, 1.3),
    "UZ": (41.4, 64.6, 0.5),
    "BA": (43.9, 17.7, 0.5),
}

# Mediterranean Dialogue and Istanbul Cooperation Initiative partners: they send units
# but host no site in these scenarios (sites lie in Europe, North America, Central Asia).
FAR_PARTNERS: dict[str, tuple[float, float, float]] = {
    "DZ": (28.0, 1.7, 0.5),
    "EG": (26.8, 30.8, 0.7),
    "IL": (31.0, 34.9, 0.6),
    "JO": (30.6, 36.2, 0.5),
    "MR": (21.0, -10.9, 0.3),
    "MA": (31.8, -7.1, 0.5),
    "TN": (33.9, 9.5, 0.4),
    "BH": (26.0, 50.6, 0.3),
    "KW": (29.3, 47.5, 0.3),
    "QA": (25.3, 51.2, 0.3),
    "AE": (23.4, 53.8, 0.4),
}

LARGE_NATIONS = frozenset({"US", "CA", "KZ", "TR", "FR", "SE", "NO", "FI", "UA", "ES", "DE"})

# capability -> (personnel low, personnel high, weight among declared units)
CAPABILITIES: dict[str, tuple[int, int, float]] = {
    "infantry_company": (100, 150, 20),
    "sar_helicopter": (10, 20, 7),
    "medical_team": (15, 40, 12),
    "engineer_platoon": (30, 45, 9),
    "field_hospital": (60, 120, 5),
    "sar_vessel": (25, 60, 5),
    "maritime_patrol_aircraft": (12, 25, 4),
    "transport_aircraft": (8, 20, 4),
    "military_police": (20, 40, 6),
    "signals_unit": (20, 50, 7),
    "logistics_unit": (30, 80, 8),
    "cimic_team": (6, 15, 6),
    "staff_cell": (8, 25, 6),
}

CAPABILITY_TAGS: dict[str, str] = {
    "infantry_company": "INF",
    "sar_helicopter": "SARH",
    "medical_team": "MED",
    "engineer_platoon": "ENG",
    "field_hospital": "HOSP",
    "sar_vessel": "SARV",
    "maritime_patrol_aircraft": "MPA",
    "transport_aircraft": "AIRLIFT",
    "military_police": "MP",
    "signals_unit": "SIG",
    "logistics_unit": "LOG",
    "cimic_team": "CIMIC",
    "staff_cell": "STAFF",
}

# exercise type -> (primary capabilities (one is drawn), secondary capabilities, share)
EXERCISE_NEEDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], float]] = {
    "peacekeeping": (
        ("infantry_company",),
        (
            "medical_team",
            "engineer_platoon",
            "military_police",
            "signals_unit",
            "logistics_unit",
            "cimic_team",
            "staff_cell",
        ),
        0.45,
    ),
    "search_and_rescue": (
        ("sar_helicopter", "sar_vessel"),
        ("maritime_patrol_aircraft", "sar_helicopter", "sar_vessel", "medical_team", "staff_cell"),
        0.25,
    ),
    "humanitarian": (
        ("medical_team", "field_hospital"),
        ("engineer_platoon", "logistics_unit", "transport_aircraft", "cimic_team", "signals_unit"),
        0.30,
    ),
}

# site kind -> (exercise types it supports, None = all; capacity low, high; weight)
SITE_KINDS: dict[str, tuple[tuple[str, ...] | None, int, int, float]] = {
    "land": (("peacekeeping", "humanitarian"), 800, 3000, 35),
    "maritime": (("search_and_rescue",), 300, 1000, 20),
    "air": (("search_and_rescue", "humanitarian"), 300, 1500, 15),
    "mountain": (None, 300, 1000, 15),
    "urban": (("peacekeeping", "humanitarian"), 300, 1200, 15),
}

SITE_WORDS: dict[str, tuple[str, ...]] = {
    "land": ("training area", "range", "manoeuvre area", "camp"),
    "maritime": ("naval base", "coast", "harbour", "bay"),
    "air": ("air base", "airfield"),
    "mountain": ("mountain training centre", "alpine range", "highlands"),
    "urban": ("urban training village", "city training centre"),
}

EXERCISE_WORDS: tuple[str, ...] = (
    "Bridge", "Venture", "Help", "Osprey", "Nugget", "Jaguar", "Key", "Lantern", "Partner",
    "Banner", "Chance", "Determination", "Dragon", "Guardian", "Mako", "Marlin", "Safeguard",
    "Support", "Zenith", "Longbow", "Lancer", "Archer", "Shield", "Neighbour", "Spirit",
    "Best Effort", "Assistance", "Harbour", "Compass", "Summit", "Horizon", "Anchor",
    "Beacon", "Meridian", "Falcon", "Heron", "Kestrel", "Pelican", "Condor", "Albatross",
)  # fmt: skip
