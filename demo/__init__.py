"""The demo world shared by the services' demo tools: pure data, no dependencies."""
