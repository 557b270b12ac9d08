import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "#app/i18n/en";
import { newToken } from "#core/tokens";
import { foldCounters } from "#jobs/maintenance";
import { DEMO, confirmLink, eventually, startTestPlatform, type TestPlatform } from "./support/platform";
import { apiCount, page, postConfirm, sign, signAndGetLink, signatureOf, supporter } from "./support/supporter";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

const thanksPath = (action: string) => `/campaigns/${DEMO.campaign}/${action}/thanks`;
/** The thank-you address a confirmation leads to: the action's page with a signed reference to what was confirmed. */
const thanksPlace = (action: string) => new RegExp(`^${thanksPath(action)}\\?done=[1-9][0-9]*-[A-Za-z0-9_-]{22}$`);
const status = async (email: string) => (await signatureOf(p.database.db, email))!.status;

/** Every confirmed signature counted once: the counters equal the confirmed rows, action by action. */
async function countersMatchConfirmations() {
  const { rows } = await sql<{ drift: number }>`
    select count(*)::int as drift from actions a
    left join action_counters c on c.action_id = a.id
    where coalesce(c.confirmed, 0) <> (select count(*) from signatures s where s.action_id = a.id and s.status = 'confirmed')
  `.execute(p.database.db);
  return rows[0]!.drift === 0;
}

describe("confirming a signature", () => {
  it("shows a page with a Confirm button on GET and changes nothing, so mail scanners confirm nothing", async () => {
    const ana = supporter("ana");
    const link = await signAndGetLink(p, ana);
    for (let i = 0; i < 3; i++) {
      const res = await page(link, { headers: { "User-Agent": "Mozilla/5.0 (compatible; SafeLinks scanner)" } });
      expect(res.status).toBe(200);
      expect(res.html).toContain(en.confirm.title);
      expect(res.html).toMatch(new RegExp(`<form method="post"[^>]*>\\s*<button type="submit"[^>]*>${en.confirm.button}</button>`));
    }
    expect(await status(ana.email)).toBe("pending");
  });

  it("keeps the token page out of caches and its address from other sites", async () => {
    const res = await page(await signAndGetLink(p, supporter("cache")));
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(["no-referrer", "same-origin"]).toContain(res.headers.get("referrer-policy"));
  });

  it("has a link that works the moment the email lands", async () => {
    const who = supporter("quick");
    await sign(p, who);
    const mail = await eventually(async () => p.smtp.to(who.email)[0], 15_000, "the email");
    expect((await postConfirm(confirmLink(mail.text))).status).toBe(302);
  });

  it("confirms on POST and lands on a thanks page with ways to share", async () => {
    const bea = supporter("bea");
    const res = await postConfirm(await signAndGetLink(p, bea));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(thanksPlace(DEMO.action));
    const sig = await signatureOf(p.database.db, bea.email);
    expect(sig!.status).toBe("confirmed");
    expect(sig!.confirmed_at).toBeInstanceOf(Date);

    const thanks = await page(p.url + thanksPath(DEMO.action));
    expect(thanks.status).toBe(200);
    expect(thanks.html).toContain(en.thanks.title);
    const shareUrl = `${p.url}/campaigns/${DEMO.campaign}/${DEMO.action}`;
    expect(thanks.html).toMatch(new RegExp(`<input type="text" readonly=""[^>]* value="${shareUrl}\\?source=share-link"`));
    expect(thanks.html).toContain(`href="mailto:?subject=`);
    expect(thanks.html).toContain(encodeURIComponent(shareUrl));
    for (const site of ["https://wa.me/", "https://x.com/intent/post", "https://www.facebook.com/sharer/sharer.php", "https://bsky.app/intent/compose"]) {
      expect(thanks.html).toContain(`href="${site}`);
    }
  });

  it("is harmless when POSTed twice: one confirmed signature, counted once", async () => {
    const action = "close-challapalca-and-yanamayo";
    const carmen = supporter("carmen");
    const link = await signAndGetLink(p, carmen, action);
    const first = await postConfirm(link);
    const confirmedAt = (await signatureOf(p.database.db, carmen.email))!.confirmed_at;
    const second = await postConfirm(link);
    expect([first.status, second.status]).toEqual([302, 302]);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(second.headers.get("location")).toMatch(thanksPlace(action));
    expect((await signatureOf(p.database.db, carmen.email))!.confirmed_at).toEqual(confirmedAt);
    await eventually(async () => (await apiCount(p.url, action)) === 1, 10_000, "count of 1");
    await postConfirm(link);
    await foldCounters(p.database.db);
    expect(await apiCount(p.url, action)).toBe(1);
    expect(await countersMatchConfirmations()).toBe(true);
  });

  it("turns ten simultaneous confirmations of one link into one confirmed signature, counted once", async () => {
    const action = "resource-the-pardon-commission";
    const diego = supporter("diego");
    const link = await signAndGetLink(p, diego, action);
    const responses = await Promise.all(Array.from({ length: 10 }, () => postConfirm(link)));
    expect(responses.map((r) => [r.status, r.headers.get("location")])).toEqual(responses.map(() => [302, responses[0]!.headers.get("location")]));
    expect(responses[0]!.headers.get("location")).toMatch(thanksPlace(action));
    const rows = await p.database.db.selectFrom("signatures").select("status").where("action_id", "=", (await signatureOf(p.database.db, diego.email))!.action_id).execute();
    expect(rows).toEqual([{ status: "confirmed" }]);
    await eventually(async () => (await apiCount(p.url, action)) === 1, 10_000, "count of 1");
    await foldCounters(p.database.db);
    expect(await apiCount(p.url, action)).toBe(1);
  });

  it("answers a tampered, unknown or malformed token with a clear not-valid page, on GET and POST", async () => {
    const eva = supporter("eva");
    const link = await signAndGetLink(p, eva);
    const token = link.split("/confirm/")[1]!;
    const tampered = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    for (const bad of [tampered, newToken(), token.slice(0, 20), `${token}x`]) {
      const get = await page(`${p.url}/confirm/${bad}`);
      expect(get.status).toBe(404);
      expect(get.html).toContain(en.confirm.invalidTitle);
      expect(get.html).not.toContain(en.confirm.button);
      const post = await postConfirm(`${p.url}/confirm/${bad}`);
      expect(post.status).toBe(404);
      expect(await post.text()).toContain(en.confirm.invalidTitle);
    }
    // A NUL byte in the address never reaches a route: the request itself is refused as malformed.
    expect((await page(`${p.url}/confirm/%00`)).status).toBe(400);
    expect((await postConfirm(`${p.url}/confirm/%00`)).status).toBe(400);
    expect(await status(eva.email)).toBe("pending");
  });

  it("refuses a well-formed token whose time is up", async () => {
    const fatima = supporter("fatima");
    const link = await signAndGetLink(p, fatima);
    const sig = await signatureOf(p.database.db, fatima.email);
    await p.database.db.updateTable("tokens").set({ expires_at: sql`now() - interval '1 minute'` }).where("signature_id", "=", sig!.id).execute();
    const get = await page(link);
    expect(get.status).toBe(404);
    expect(get.html).toContain(en.confirm.invalidBody);
    const post = await postConfirm(link);
    expect(post.status).toBe(404);
    expect(await status(fatima.email)).toBe("pending");
  });

  it("refuses to confirm an invalidated signature with a clear page and no Confirm button", async () => {
    const gina = supporter("gina");
    const link = await signAndGetLink(p, gina);
    const sig = await signatureOf(p.database.db, gina.email);
    await p.database.db.updateTable("signatures").set({ status: "invalidated", invalidated_reason: "test" }).where("id", "=", sig!.id).execute();
    const get = await page(link);
    expect(get.status).toBe(410);
    expect(get.html).toContain(en.confirm.invalidTitle);
    expect(get.html).not.toContain(en.confirm.button);
    const post = await postConfirm(link);
    expect(post.status).toBe(410);
    const html = await post.text();
    expect(html).toContain(en.confirm.invalidTitle);
    expect(html).not.toContain(en.confirm.button);
    expect(await status(gina.email)).toBe("invalidated");
  });
});
