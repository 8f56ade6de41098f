"""Developer tools: code generation, the local launcher, system-package checks."""
