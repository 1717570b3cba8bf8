"""SmartPick: calibrated, budget-aware residency application lists."""

from smartpick.errors import SmartPickError, ValidationProblem

__version__ = "0.1.0"

__all__ = ["SmartPickError", "ValidationProblem", "__version__"]
