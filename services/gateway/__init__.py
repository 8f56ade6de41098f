"""The gateway: the only part browsers reach. Pages, forms, CSRF, language and the session
cookie; every piece of data comes from a service over gRPC."""
