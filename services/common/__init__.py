"""What every service shares, and nothing domain-specific: configuration, JSON logs with a
request id, the gRPC server bootstrap and the gRPC client channels."""
