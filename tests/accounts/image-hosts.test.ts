import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envSchema } from "#core/env";
import { renderUpdate } from "#emails/update";
import { shown } from "../admin/page-text";
import { createCampaigner, signIn } from "../support/campaigner";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";

const LISTED = "https://images.example.org/challapalca.jpg";
const UNLISTED = "https://pixel.tracker.example/open.gif";

let p: TestPlatform;
beforeAll(async () => {
  process.env.IMAGE_HOSTS = " images.example.org ,cdn.example.net";
  p = await startTestPlatform({ worker: false });
});
afterAll(async () => {
  delete process.env.IMAGE_HOSTS;
  await p?.stop();
});

describe("IMAGE_HOSTS", () => {
  it("is validated at boot: a scheme, a path or a port is refused with a message naming the variable", () => {
    for (const bad of ["https://images.example.org", "images.example.org/path", "images.example.org:8443", "localhost"]) {
      const parsed = envSchema.safeParse({ IMAGE_HOSTS: bad });
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues[0]!.path).toEqual(["IMAGE_HOSTS"]);
    }
    expect(envSchema.parse({ IMAGE_HOSTS: "A.example.org, b.example.net" }).IMAGE_HOSTS).toEqual(["a.example.org", "b.example.net"]);
    expect(envSchema.parse({}).IMAGE_HOSTS).toEqual([]);
  });

  it("keeps only listed hosts' images in a campaign's story", async () => {
    const campaign = await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
    await p.database.db
      .updateTable("campaign_translations")
      .set({ story: `The prison at 4,600 metres.\n\n![Challapalca](${LISTED})\n\n![pixel](${UNLISTED})\n\n![also](//pixel.tracker.example/b.gif)` })
      .where("campaign_id", "=", campaign.id)
      .execute();
    const html = await (await fetch(`${p.url}/campaigns/${DEMO.campaign}`)).text();
    expect(html).toContain("The prison at 4,600 metres.");
    expect(html).toContain(`src="${LISTED}"`);
    expect(html).not.toContain("pixel.tracker.example");
  });

  it("keeps only listed hosts' images in an update email", async () => {
    const mail = await renderUpdate({
      language: "en", subject: "News", campaignTitle: "Free them", unsubscribeUrl: `${p.url}/unsubscribe/x`,
      bodyMarkdown: `Good news.\n\n![photo](${LISTED})\n\n![pixel](${UNLISTED})\n\n![local](http://evil.example/p.gif)`,
    });
    expect(mail.html).toContain("Good news.");
    expect(mail.html).toContain(LISTED);
    expect(mail.html).not.toContain("pixel.tracker.example");
    expect(mail.html).not.toContain("evil.example");
  });

  it("refuses a campaign image from an unlisted host next to the field (400), writing nothing; a listed one is saved", async () => {
    const owner = await signIn(p.url, await createCampaigner(p.database.db, { tag: "images" }));
    const campaign = (slug: string, imageUrl: string) => ({
      slug, goal: "100", defaultLanguage: "en", imageUrl, title_en: "Images", summary_en: "A campaign with an image.", story_en: "Story.",
    });
    const refused = await owner.post("/admin/campaigns/new", campaign(`images-refused-${process.pid}`, UNLISTED));
    expect(refused.status).toBe(400);
    expect(shown(await refused.text())).toContain("Images can only come from images.example.org, cdn.example.net.");
    expect(await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", `images-refused-${process.pid}`).executeTakeFirst()).toBeUndefined();
    const saved = await owner.post("/admin/campaigns/new", campaign(`images-saved-${process.pid}`, "https://cdn.example.net/a.jpg"));
    expect(saved.status).toBe(302);
  });
});
