"""Monitoring for operators: /metrics in the Prometheus text format, behind a token."""
