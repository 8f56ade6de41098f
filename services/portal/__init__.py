"""The portal service: the read-only catalogue of the portal's public part."""
