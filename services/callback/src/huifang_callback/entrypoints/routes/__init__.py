"""One router per resource: policies, callbacks, samples."""
