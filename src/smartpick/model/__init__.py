"""Interview and match probability models, their calibration and report."""
