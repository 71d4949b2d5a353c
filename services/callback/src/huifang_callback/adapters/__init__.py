"""This service's own tables and clocks: projections, policies, callbacks, samples (SQL)."""
