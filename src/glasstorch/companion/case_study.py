"""Chapter 10 of the tour: the course's phone-price case study (placeholder until the app's API lands)."""
from __future__ import annotations


def run(tour) -> None:
    print("The case study needs glasstorch's trainer (glasstorch.app), which is not available in this build.")
