"""The PrimaWeb service: the home page composition and PrimaWeb's own data."""
