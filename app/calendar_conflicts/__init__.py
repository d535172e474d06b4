"""A calendar's conflicts: why each unscheduled exercise is out (minimal causes, verified
fixes), the missed wishes, and the data conflicts of the scenario it was solved for."""
