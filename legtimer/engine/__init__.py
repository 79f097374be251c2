"""The session engine: stdlib only, no Qt. Time is derived from an injected clock."""
