"""Social networks: shared contracts (base), posting rules and counting (rules), connectors."""
