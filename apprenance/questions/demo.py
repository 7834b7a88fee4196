"""The demo network's questions, answers and votes (demo/questions.json, in the network file's format)."""

import json
from pathlib import Path

from django.conf import settings

DEMO_FILE = Path(settings.BASE_DIR) / "demo" / "questions.json"


def demo_sections() -> dict:
    """The questions sections to import with the demo network."""
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))
