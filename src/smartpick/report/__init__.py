"""Exports of a plan: CSV, XLSX and a printable PDF report, with their charts and map."""
