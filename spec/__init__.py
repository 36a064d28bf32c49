"""The specification: rules as data, the vocabulary, the Z3 model and its checks."""

DEFAULT_BASELINE = "accepted-findings.json"
"""The accepted-findings baseline, a file of the spec folder (``verify --baseline`` reads it by default)."""
