"""Datasets: the course's phone-price CSV (found, verified, downloaded) and synthetic rows like it."""
from __future__ import annotations

from .phone_prices import (COURSE_FILE_NAME, FEATURE_NAMES, FILE_NAME, MIRRORS, SHA256, TARGET_NAME,
                           DataNotFoundError, cache_dir, download, phone_prices, sha256_of)
from .synthetic import PhonePrices, make_phone_prices

__all__ = ["COURSE_FILE_NAME", "FEATURE_NAMES", "FILE_NAME", "MIRRORS", "SHA256", "TARGET_NAME", "DataNotFoundError",
           "PhonePrices", "cache_dir", "download", "make_phone_prices", "phone_prices", "sha256_of"]
