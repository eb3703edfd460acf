"""axe-core in the browser tests: inject it into a page and list its serious and critical WCAG 2.1
A/AA violations. The page's Content-Security-Policy refuses an injected script, as it should: a
test that uses this runs in a context made with bypass_csp=True."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}"


def serious_violations(page) -> list:
    """(rule, impact, up to five targets) of each serious or critical violation on the page."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `npm ci` (see the README's test command)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(f"axe.run(document, {WCAG})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
