import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmFastPath } from "#core/metrics";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";
import { mailTo, sign, signatureOf, supporter, tokenOf } from "../support/supporter";

// A successful press of the confirm button is answered by Express ahead of Remix
// (server/http/confirm-fast-path.ts); every other outcome is left to Remix. CONFIRM_FAST_PATH=off
// sends everything through Remix. Each case is asked both ways, with and without JavaScript
// (Remix's client posts to `?_data=routes/confirm.$token`), on two signatures in the same state,
// and the answers must match but for the date, the request id, the CSP nonce and the signed refs.

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  process.env.CONFIRM_FAST_PATH = "on";
  await p?.stop();
});

const DATA_QUERY = `?_data=${encodeURIComponent("routes/confirm.$token")}`;
const NOT_COMPARED = new Set(["date", "x-request-id", "keep-alive", "connection"]);

interface Answer { status: number; headers: Record<string, string>; body: string }

async function answer(res: Response, token: string): Promise<Answer> {
  const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
  // The thank-you link carries refs signed for one signature, and the page's language links its own token: the same shape, other bytes.
  const plain = (v: string) => (nonce ? v.replaceAll(nonce, "NONCE") : v).replaceAll(token, "TOKEN").replace(/(done|letter)=[A-Za-z0-9_-]+/g, "$1=REF");
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!NOT_COMPARED.has(name)) headers[name] = plain(value);
  });
  return { status: res.status, headers, body: plain(await res.text()) };
}

async function counts() {
  const values = (await confirmFastPath.get()).values;
  const of = (by: string) => values.find((v) => v.labels.answered_by === by)?.value ?? 0;
  return { fast: of("fast"), remix: of("remix") };
}

function press(token: string, js: boolean, headers: Record<string, string> = {}, query = js ? DATA_QUERY : "") {
  return fetch(`${p.url}/confirm/${token}${query}`, {
    method: "POST", redirect: "manual", body: "",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });
}

/** A pending signature and its confirmation token. */
async function pending(tag: string): Promise<{ token: string; email: string }> {
  const fields = supporter(tag);
  await sign(p, fields);
  return { token: tokenOf(await mailTo(p, fields.email)), email: fields.email };
}

/** Presses `tokens[0]` with the fast path on and `tokens[1]` with it off; `by` says who must have answered the first. */
async function bothWays(tokens: [string, string], js: boolean, by: "fast" | "remix" | "neither", headers: Record<string, string> = {}): Promise<[Answer, Answer]> {
  const before = await counts();
  process.env.CONFIRM_FAST_PATH = "on";
  const fast = await answer(await press(tokens[0], js, headers), tokens[0]);
  process.env.CONFIRM_FAST_PATH = "off";
  const remix = await answer(await press(tokens[1], js, headers), tokens[1]);
  process.env.CONFIRM_FAST_PATH = "on";
  const after = await counts();
  expect({ fast: after.fast - before.fast, remix: after.remix - before.remix }).toEqual({ fast: by === "fast" ? 1 : 0, remix: by === "remix" ? 1 : 0 });
  return [fast, remix];
}

describe.each([{ js: false }, { js: true }])("confirm POST, fast path and Remix alone, JavaScript $js", ({ js }) => {
  const tag = js ? "js" : "html";

  it("confirms alike and sends to the same thank-you page, the first press and the second", async () => {
    const a = await pending(`ok-a-${tag}`);
    const b = await pending(`ok-b-${tag}`);
    for (const press of ["first", "second"]) {
      const [fast, remix] = await bothWays([a.token, b.token], js, "fast");
      expect(fast, press).toEqual(remix);
      const thanks = `/campaigns/${DEMO.campaign}/${DEMO.action}/thanks?done=REF`;
      if (js) expect(fast).toMatchObject({ status: 204, headers: { "x-remix-redirect": thanks, "x-remix-status": "302" } });
      else expect(fast).toMatchObject({ status: 302, headers: { location: thanks } });
      expect(fast.headers).toMatchObject({ "cache-control": "no-store", "referrer-policy": "same-origin", "x-content-type-options": "nosniff" });
    }
    for (const who of [a, b]) expect(await signatureOf(p.database.db, who.email)).toMatchObject({ status: "confirmed" });
  });

  it("answers an unknown or malformed link with the same page, and changes nothing (bad input)", async () => {
    const unknown = await bothWays(["x".repeat(43), "y".repeat(43)], js, "remix");
    expect(unknown[0]).toEqual(unknown[1]);
    expect(unknown[0].status).toBe(404);
    // Too short for the fast path's pattern, and not a token: Remix alone, 404 both ways.
    const malformed = await bothWays(["short", "short"], js, "neither");
    expect(malformed[0]).toEqual(malformed[1]);
    expect(malformed[0].status).toBe(404);
  });

  it("answers a link to a signature that is no longer pending with the same 410 page", async () => {
    const a = await pending(`gone-a-${tag}`);
    const b = await pending(`gone-b-${tag}`);
    // Invalidated by a campaigner, as the workspace does: the link stays, the signature is no longer
    // pending. (Expiry would do, but the periodic sweep removes an expired signature's links, and
    // could do so between the two presses.)
    await sql`update signatures set status = 'invalidated', invalidated_at = now(), invalidated_reason = 'duplicate' where id in (select s.id from signatures s join supporters p on p.id = s.supporter_id where p.email in (${a.email.toLowerCase()}, ${b.email.toLowerCase()}))`.execute(p.database.db);
    const [fast, remix] = await bothWays([a.token, b.token], js, "remix");
    expect(fast).toEqual(remix);
    expect(fast.status).toBe(410);
    expect((await signatureOf(p.database.db, a.email))!.status).toBe("invalidated");
  });

  it("refuses a press another site makes alike, and confirms nothing", async () => {
    const a = await pending(`cross-a-${tag}`);
    const b = await pending(`cross-b-${tag}`);
    const [fast, remix] = await bothWays([a.token, b.token], js, "neither", { Origin: "https://elsewhere.example" });
    expect(fast).toEqual(remix);
    expect(fast.status).toBe(403);
    for (const who of [a, b]) expect((await signatureOf(p.database.db, who.email))!.status).toBe("pending");
  });

  it("leaves a query string the form never sends to Remix, which confirms as before", async () => {
    const a = await pending(`query-${tag}`);
    const before = await counts();
    const res = await press(a.token, js, {}, `${js ? DATA_QUERY : "?"}&unexpected=1`);
    expect(res.status).toBe(js ? 204 : 302);
    expect(await counts()).toEqual(before);
    expect((await signatureOf(p.database.db, a.email))!.status).toBe("confirmed");
  });
});

describe("confirm POST under concurrent presses", () => {
  it("confirms once, answers every press with the thank-you page and records one webhook event", async () => {
    const campaign = await p.database.db.selectFrom("campaigns").select("id").where("slug", "=", DEMO.campaign).executeTakeFirstOrThrow();
    await p.database.db.insertInto("webhook_endpoints").values({ campaign_id: campaign.id, url: "https://hooks.example/inkwell", secret: "whsec_test", events: ["signature.confirmed"] }).execute();
    const a = await pending("concurrent");
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => press(a.token, i % 2 === 0)));
    expect(answers.map((r) => r.status).sort()).toEqual([204, 204, 204, 204, 302, 302, 302, 302]);
    const signature = (await signatureOf(p.database.db, a.email))!;
    expect(signature.status).toBe("confirmed");
    const events = await p.database.db.selectFrom("webhook_deliveries").select(["body"]).where("event_key", "=", `signature-${signature.id}`).execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.body)).toMatchObject({ type: "signature.confirmed", data: { signature_id: signature.id, campaign: DEMO.campaign, action: DEMO.action, held_for_review: false } });
    expect(events[0]!.body).not.toContain(a.email);
  });
});
