import { describe, expect, it } from "vitest";
import type { StaffAlertKind } from "#db/schema";
import { renderStaffAlert, renderStaffDigest } from "#emails/staff-alert";
import { ALERT_KIND_LABELS, ALERT_KIND_ORDER, describeAlert } from "#emails/staff-alert-text";

const hostile = `<img src=x onerror=alert(1)> "Ministro"`;
const details: Record<StaffAlertKind, Record<string, unknown>> = {
  batch: { campaign: "Free them", official: hostile, batch: 3, deliveryId: 9, event: "bounced", reason: "550 5.1.1 User unknown" },
  official: { campaign: "Free them", official: hostile, targetId: 4, batch: 3, reason: "550 5.1.1" },
  held: { campaign: "Free them", held: 30, threshold: 25 },
  goal: { campaign: "Free them", action: "Write to the minister", goal: 1000, count: 1002 },
  reply: { campaign: "Free them", official: hostile, batch: 3, replyId: 12 },
  webhook: { campaign: "Free them", url: "https://crm.example.org/hook", failures: 15 },
};

describe("staff alert words", () => {
  it("every kind has a switch label, a headline and a workspace link", () => {
    expect(ALERT_KIND_ORDER).toEqual(["batch", "official", "held", "goal", "reply", "webhook"]);
    for (const kind of ALERT_KIND_ORDER) {
      const a = describeAlert({ campaignId: 7, kind, detail: details[kind] });
      expect(ALERT_KIND_LABELS[kind].length).toBeGreaterThan(10);
      expect(a.headline.length).toBeGreaterThan(10);
      expect(a.path).toMatch(/^\/admin\/(campaigns\/7|officials\/4)/);
    }
    expect(describeAlert({ campaignId: 7, kind: "reply", detail: details.reply }).path).toBe("/admin/campaigns/7/replies/12");
    expect(describeAlert({ campaignId: 7, kind: "goal", detail: { ...details.goal, action: null } }).headline).toBe("“Free them” reached its goal of 1,000 (1,002 so far).");
  });

  it("escapes what came from outside in the HTML of an alert and of a digest", async () => {
    const one = await renderStaffAlert({ name: "Ana", alert: { campaignId: 7, kind: "official", detail: details.official }, appUrl: "https://inkwell.example" });
    expect(one.html).not.toContain("<img src=x");
    expect(one.text).toContain(hostile);
    const digest = await renderStaffDigest({
      name: "Ana", appUrl: "https://inkwell.example",
      alerts: ALERT_KIND_ORDER.map((kind) => ({ campaignId: 7, kind, detail: details[kind], createdAt: new Date("2026-12-02T08:00:00Z") })),
    });
    expect(digest.subject).toBe("[Inkwell] Daily digest: 6 alert(s)");
    expect(digest.html).not.toContain("<img src=x");
    for (const kind of ALERT_KIND_ORDER) expect(digest.html).toContain(`https://inkwell.example${describeAlert({ campaignId: 7, kind, detail: details[kind] }).path}`);
  });
});
