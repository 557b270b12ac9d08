import { describe, expect, it } from "vitest";
import { CHART_COLOURS } from "#app/components/admin/charts";

const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
};

describe("dashboard chart colours", () => {
  it("stand out from the card by at least 3:1 (WCAG 1.4.11)", () => {
    for (const key of ["accent", "signed", "confirmed", "ink"] as const) {
      expect(contrast(CHART_COLOURS[key], CHART_COLOURS.background), key).toBeGreaterThanOrEqual(3);
    }
  });

  it("tell the two series drawn side by side apart by at least 3:1", () => {
    expect(contrast(CHART_COLOURS.signed, CHART_COLOURS.confirmed)).toBeGreaterThanOrEqual(3);
  });
});
