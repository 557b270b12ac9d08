import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countBucket } from "../../app/lib/share-card.server";
import { DEMO, confirmLink, postSign, startTestPlatform, type TestPlatform } from "../support/platform";
import { ACTION_PATH, mailTo, page, postConfirm, signatureOf, supporter } from "../support/supporter";

const HOSTILE_TITLE = `Free "them" now <script>alert(1)</script> & 'today'`;
const CAMPAIGN_PATH = `/campaigns/${DEMO.campaign}`;

let p: TestPlatform;
beforeAll(async () => {
  process.env.IMAGE_HOSTS = "images.example.org"; // a campaign's own image is used only from a listed host
  p = await startTestPlatform();
  await p.database.db
    .updateTable("campaign_translations")
    .set({ title: HOSTILE_TITLE })
    .where("language", "=", "en")
    .where("campaign_id", "=", (eb) => eb.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign))
    .execute();
});
afterAll(async () => p?.stop());

/** The content of the page's `<meta property|name="key">` tags, as written in the HTML. */
function metas(html: string, key: string): string[] {
  return [...html.matchAll(/<meta ([^>]*)\/?>/g)]
    .map((m) => m[1]!)
    .filter((attrs) => attrs.includes(`property="${key}"`) || attrs.includes(`name="${key}"`))
    .map((attrs) => /content="([^"]*)"/.exec(attrs)?.[1] ?? "");
}
const meta = (html: string, key: string) => metas(html, key)[0];

async function html(path: string, language: "en" | "es") {
  const res = await page(`${p.url}${path}`, { headers: { Cookie: `lang=${language}` } });
  expect(res.status).toBe(200);
  return res.html;
}

/** Width and height from a PNG's IHDR chunk, after checking the signature bytes. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(Buffer.from(bytes.subarray(12, 16)).toString("ascii")).toBe("IHDR");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe("share cards", () => {
  it.each([
    ["campaign page", CAMPAIGN_PATH],
    ["action page", ACTION_PATH],
  ])("the %s carries Open Graph and Twitter tags with absolute addresses, in English and Spanish", async (_name, path) => {
    for (const language of ["en", "es"] as const) {
      const body = await html(path, language);
      expect(meta(body, "og:url")).toBe(`${p.url}${path}`);
      expect(meta(body, "og:type")).toBe("website");
      expect(meta(body, "og:locale")).toBe(language);
      expect(metas(body, "og:locale:alternate")).toContain(language === "en" ? "es" : "en");
      expect(meta(body, "twitter:card")).toBe("summary_large_image");
      expect(meta(body, "og:description")!.length).toBeGreaterThan(0);
      expect(meta(body, "og:image")).toBe(`${p.url}${CAMPAIGN_PATH}/card.png?lang=${language}&amp;n=0`);
      expect(meta(body, "twitter:image")).toBe(meta(body, "og:image"));
      expect(meta(body, "og:image:width")).toBe("1200");
      expect(meta(body, "og:image:height")).toBe("630");
      expect(body).toContain(`<link rel="canonical" href="${p.url}${path}"/>`);
      if (language === "es") expect(meta(body, "og:title")).not.toContain("Free");
    }
  });

  it("escapes a campaign title holding quotes and a script tag in every tag", async () => {
    for (const path of [CAMPAIGN_PATH, ACTION_PATH]) {
      const body = await html(path, "en");
      const escaped = "Free &quot;them&quot; now &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x27;today&#x27;";
      expect(meta(body, "og:title")).toContain(escaped);
      expect(meta(body, "twitter:title")).toContain(escaped);
      expect(meta(body, "og:image:alt")).toContain(escaped);
      expect(body).not.toContain("<script>alert(1)");
    }
  });

  it("uses the campaign's own raster image when its host is listed, as an absolute address", async () => {
    const campaigns = p.database.db.updateTable("campaigns").where("slug", "=", DEMO.campaign);
    try {
      await campaigns.set({ image_url: "https://images.example.org/prisoners.jpg" }).execute();
      let body = await html(CAMPAIGN_PATH, "en");
      expect(meta(body, "og:image")).toBe("https://images.example.org/prisoners.jpg");
      expect(meta(body, "og:image:width")).toBeUndefined();
      await campaigns.set({ image_url: "/images/prisoners.png" }).execute();
      body = await html(CAMPAIGN_PATH, "en");
      expect(meta(body, "og:image")).toBe(`${p.url}/images/prisoners.png`);
      // An unlisted host, and an SVG (which link previews do not show), give way to the generated card.
      for (const image of ["https://elsewhere.example.com/prisoners.jpg", "/images/peru-letters.svg"]) {
        await campaigns.set({ image_url: image }).execute();
        body = await html(CAMPAIGN_PATH, "en");
        expect(meta(body, "og:image")).toMatch(new RegExp(`^${p.url}${CAMPAIGN_PATH}/card\\.png\\?`));
      }
    } finally {
      await campaigns.set({ image_url: "/images/peru-letters.svg" }).execute();
    }
  });

  it("serves the generated card as a cacheable 1200×630 PNG in each language, and 404 for an unknown campaign", async () => {
    for (const language of ["en", "es", "ar"]) {
      const res = await fetch(`${p.url}${CAMPAIGN_PATH}/card.png?lang=${language}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
      expect(pngSize(new Uint8Array(await res.arrayBuffer()))).toEqual({ width: 1200, height: 630 });
    }
    // A burst of crawlers asking at once gets the same card.
    const burst = await Promise.all(Array.from({ length: 5 }, () => fetch(`${p.url}${CAMPAIGN_PATH}/card.png?lang=en`).then(async (r) => Buffer.from(await r.arrayBuffer()))));
    for (const png of burst) expect(png.equals(burst[0]!)).toBe(true);
    for (const path of ["/campaigns/no-such-campaign/card.png", `/campaigns/${"x".repeat(500)}/card.png`, `${CAMPAIGN_PATH}/card.png?lang=%3Cscript%3E`]) {
      const res = await fetch(`${p.url}${path}`);
      expect(res.status, path).toBe(path.includes("lang=") ? 200 : 404);
      await res.arrayBuffer();
    }
  });

  it("counts in buckets, so the card is rendered again only when the count moves noticeably", () => {
    expect([0, 7, 99, 100, 1_234, 98_765].map(countBucket)).toEqual([0, 7, 99, 100, 1_200, 98_000]);
  });

  it("the thank-you page's share links each carry their channel, and a signature through one records it", async () => {
    const body = (await page(`${p.url}${ACTION_PATH}/thanks`)).html;
    const target = encodeURIComponent(`${p.url}${ACTION_PATH}?source=`);
    expect(body).toMatch(new RegExp(`<input type="text" readonly=""[^>]* value="${p.url}${ACTION_PATH}\\?source=share-link"`));
    for (const [site, channel] of [["mailto:", "email"], ["https://wa.me/", "whatsapp"], ["https://x.com/intent/post", "x"], ["https://www.facebook.com/sharer/sharer.php", "facebook"], ["https://bsky.app/intent/compose", "bluesky"]] as const) {
      expect(body).toMatch(new RegExp(`href="${site.replace(/[.?/]/g, "\\$&")}[^"]*${target.replace(/[.%]/g, "\\$&")}share-${channel}"`));
    }
    const s = supporter("shared");
    expect((await postSign(p.url, s, `${ACTION_PATH}?source=share-whatsapp`)).status).toBe(302);
    expect((await postConfirm(confirmLink((await mailTo(p, s.email)).text))).status).toBe(302);
    expect((await signatureOf(p.database.db, s.email))!.source).toBe("share-whatsapp");
  });
});
