"""The product's settings plus the benchmark's reference view: never used outside ``bench.run``."""

from pathlib import Path

from apprenance.settings import *  # noqa: F403 -- the benchmark must measure the product's own configuration
from apprenance.settings import TEMPLATES as PRODUCT_TEMPLATES

ROOT_URLCONF = "bench.urls"

# A copy, so the product's template list is left as it was; bench/templates holds the reference page.
TEMPLATES = [
    {**PRODUCT_TEMPLATES[0], "DIRS": [*PRODUCT_TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]},
    *PRODUCT_TEMPLATES[1:],
]
