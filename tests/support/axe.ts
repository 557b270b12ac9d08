import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/**
 * What every scan checks: WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's best practices
 * (landmarks, one main heading, headings in order, regions that scroll being reachable by keyboard).
 */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] as const;

export interface AxeProblem {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page as it stands. It is evaluated through the DevTools protocol rather than
 * added as a script tag, so it also runs on a page whose own scripts are switched off, and the
 * page's Content-Security-Policy does not have to allow it.
 */
export async function axeProblems(page: Page): Promise<AxeProblem[]> {
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === "object");
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? "",
      help: v.help,
      targets: v.nodes.slice(0, 4).map((n) => n.target.map(String).join(" ")),
    }));
  }, [...AXE_TAGS]);
}

/** How far the page is wider than its window (0 when a reader never has to scroll sideways), and what sticks out. */
export function sidewaysOverflow(page: Page): Promise<{ by: number; widest: string[] }> {
  return page.evaluate(() => {
    const by = document.documentElement.scrollWidth - window.innerWidth;
    if (by <= 0) return { by: 0, widest: [] };
    const widest: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 || r.left < -1) {
        // Only the outermost element that sticks out: its children follow it.
        if (el.parentElement && widest.length && el.parentElement.closest("[data-overflow-seen]")) continue;
        el.setAttribute("data-overflow-seen", "");
        widest.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.trim().split(/\s+/).join(".")}` : ""} (${Math.round(r.width)} px)`);
        if (widest.length >= 4) break;
      }
    }
    return { by, widest };
  });
}
