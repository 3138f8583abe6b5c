"""axe-core in the browser tests: what a page must pass, and the one WCAG check axe leaves
out (disabled controls' contrast)."""

from __future__ import annotations

from typing import List

BLOCKING = ("serious", "critical")


# Rules whose "needs review" results are failures all the same: axe leaves a name on an
# element without a role for review (it can't tell whether a script gives it one later).
UNSURE_BUT_BLOCKING = ("aria-prohibited-attr",)


def blocking_violations(page, name: str) -> List[str]:
    """axe-core's serious and critical violations on `page` (open shadow roots included),
    and its unsure results of UNSURE_BUT_BLOCKING, one line per rule with where it failed;
    `name` says which state of the page it was."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    unsure = [v for v in results["incomplete"] if v["id"] in UNSURE_BUT_BLOCKING]
    return [
        f"{name}: {v['id']} ({v['impact']}) {v['help']}: "
        + "; ".join(" > ".join(map(str, n["target"])) for n in v["nodes"])
        for v in results["violations"] + unsure
        if v["impact"] in BLOCKING
    ]


# axe skips disabled controls (WCAG exempts inactive components), so their text contrast is
# measured here, with WCAG 2.1's relative luminance, on the colours the browser computed.
_COLOURS = """(el) => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const s = getComputedStyle(el);
  let bg = rgb(s.backgroundColor);
  for (let p = el; bg.length === 4 && bg[3] === 0 && p.parentElement; p = p.parentElement) {
    bg = rgb(getComputedStyle(p.parentElement).backgroundColor);
  }
  return { fg: rgb(s.color), bg, opacity: Number(s.opacity) };
}"""


def _luminance(rgb) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_contrast(locator) -> float:
    """Contrast ratio of an element's text on its (first opaque) background; a faded
    (opacity < 1) element counts as failing, as its real colours are blended."""
    colours = locator.evaluate(_COLOURS)
    if colours["opacity"] < 1:
        return 0.0
    light, dark = sorted((_luminance(colours["fg"]), _luminance(colours["bg"])), reverse=True)
    return (light + 0.05) / (dark + 0.05)
