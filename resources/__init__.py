"""Icons and style sheets, shipped inside the package (see pyproject's package-dir)."""
