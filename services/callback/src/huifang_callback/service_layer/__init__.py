"""Use cases: what happens when an event arrives, a timer fires or an API call comes in."""
