"""How the outside reaches the service: HTTP routes, the consumer's handlers, the timer loop, the CLI."""
