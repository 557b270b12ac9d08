import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, startTestPlatform, type TestPlatform } from "./support/platform";

let p: TestPlatform;
beforeAll(async () => {
  process.env.IMAGE_HOSTS = "images.example.org"; // campaign images show only from listed hosts
  p = await startTestPlatform({ worker: false });
});
afterAll(async () => p?.stop());

describe("a campaign's image", () => {
  it("shows on the campaign page and its card, without sending the visitor's page address to the image's host", async () => {
    const image = "https://images.example.org/challapalca.jpg";
    await p.database.db.updateTable("campaigns").set({ image_url: image }).where("slug", "=", DEMO.campaign).execute();
    for (const path of [`/campaigns/${DEMO.campaign}`, "/"]) {
      const res = await fetch(`${p.url}${path}`);
      const html = await res.text();
      expect(html).toMatch(new RegExp(`<img[^>]+src="${image.replace(/[.]/g, "\\.")}"[^>]*referrerPolicy="no-referrer"|<img[^>]+referrerPolicy="no-referrer"[^>]*src="${image.replace(/[.]/g, "\\.")}"`, "i"));
      expect(res.headers.get("content-security-policy")).toContain("img-src 'self' data: https:");
    }
  });
});
