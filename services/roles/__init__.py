"""The roles service: persons, entities, qualities, application roles, PrimaWeb profiles."""
