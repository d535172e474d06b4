"""pfp-scheduler's web service: imports `solver`, never the other way round."""
