"""axe-core in the page under test: the bundle shipped with axe-playwright-python, run as is."""

from pathlib import Path

import axe_playwright_python

AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
IMPACTS_BLOQUANTS = ("serious", "critical")


def violations_axe(page) -> list[dict]:
    """Every axe violation of the current page (WCAG 2.x A/AA rules and best practices)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as a <script> of the page: the
        # Content-Security-Policy (script-src 'self') does not apply to it.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )


def violations_graves(page) -> list[dict]:
    return [v for v in violations_axe(page) if v["impact"] in IMPACTS_BLOQUANTS]


def decrire_violations(graves) -> str:
    """One line per rule: impact, rule, what it asks, the elements at fault."""
    return "\n".join(
        f"  - [{v['impact']}] {v['id']} : {v['help']} → "
        + ", ".join(" ".join(map(str, noeud["target"])) for noeud in v["nodes"])
        for v in graves
    )


def assert_sans_violation_grave(page) -> None:
    graves = violations_graves(page)
    assert not graves, f"Violations axe graves sur {page.url} :\n{decrire_violations(graves)}"
