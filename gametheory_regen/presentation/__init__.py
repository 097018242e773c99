"""Presentation layer: reports (text, markdown, JSON, LaTeX), figures and the command line."""
