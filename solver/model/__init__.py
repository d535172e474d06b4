"""The CP-SAT model of a calendar: candidates, named variables, one function per rule."""
