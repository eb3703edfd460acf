"""JSON for <script type="application/ld+json"> data blocks in our pages."""

from __future__ import annotations

import json


def script_json(data) -> str:
    """JSON that cannot end or confuse its script element: <, > and & are written as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
