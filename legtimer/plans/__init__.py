"""Session definitions: templates, programs, built-ins and week progression (stdlib only)."""
