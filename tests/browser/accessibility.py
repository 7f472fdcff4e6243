"""axe-core in a Playwright page: what the accessibility test and the chapter run share.

axe-core comes from npm (package.json pins it; `make setup` and `make js` run `npm ci`)."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, plus axe's best practices (empty table headers, landmarks, ...)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = ("serious", "critical")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
SCREENSHOTS = REPO / "build" / "screenshots"


def axe_violations(page):
    """axe-core's violations on the page as it is now: [{id, impact, help, targets}]."""
    assert AXE_SCRIPT.is_file(), f"{AXE_SCRIPT} is missing: run `npm ci` (make setup does)"
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate("""async (tags) => {
        const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                               targets: v.nodes.map((n) => n.target.join(" ")) }));
    }""", AXE_TAGS)


def blocking(violations):
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def count_line(violations):
    """'color-contrast serious 12, region moderate 1' (elements per rule), or 'none'."""
    return ", ".join(f"{v['id']} {v['impact']} {len(v['targets'])}" for v in violations) or "none"


def explain(violations, label):
    lines = [f"{label}: axe-core finds {len(violations)} serious or critical violation(s):"]
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {target}" for target in v["targets"][:8])
    return "\n".join(lines)


def size_name(viewport):
    return f"{viewport['width']}x{viewport['height']}"


def open_every_hint_and_solution(page):
    """Press every "Show hint", "Show next hint" and "Show solution" until all are open."""
    closed = page.locator(".pycell-show-hint, .pycell-show-solution").filter(has_text="Show")
    for _ in range(100):
        if closed.count() == 0:
            return
        closed.first.click()
    raise AssertionError("hints or solutions stay closed after 100 clicks")


def check_after_use(page, label, report):
    """axe-core on a page a student has used (every cell run): hints and solutions opened, at desktop
    and phone sizes; reports the counts and fails on serious or critical violations."""
    open_every_hint_and_solution(page)
    found = []
    try:
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            page.evaluate("new Promise((settled) => requestAnimationFrame(() => setTimeout(settled, 300)))")  # resize handlers
            violations = axe_violations(page)
            report(f"axe-core, {label} at {size_name(viewport)} after every cell, hint and solution: {count_line(violations)}")
            found += [{**v, "help": f"{v['help']} (at {size_name(viewport)})"} for v in blocking(violations)]
    finally:
        page.set_viewport_size(DESKTOP)
    assert not found, explain(found, f"{label}, after every cell ran")
