import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { letterAction, postLetter } from "../support/letters";
import { DEMO, confirmLink, eventually, postSign, startTestPlatform, type TestPlatform } from "../support/platform";
import { apiCount, mailSettled, postConfirm, signatureOf, supporter } from "../support/supporter";

// Double clicks, replays and races: however often a supporter's request arrives, there is one
// signature, one letter and an exact count. (Petition double submits and ten simultaneous
// confirmations of one link are proven in signing-again.test.ts and confirmation.test.ts.)
let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

async function counts() {
  const { rows } = await sql<{ signatures: number; letters: number; recipients: number; confirmed: number }>`
    select (select count(*) from signatures)::int as signatures, (select count(*) from letters)::int as letters,
           (select count(*) from letter_recipients)::int as recipients,
           (select count(*) from signatures where status = 'confirmed')::int as confirmed
  `.execute(p.database.db);
  return { ...rows[0]!, emails: p.smtp.messages.length };
}

describe("double submits, replays and concurrent confirmations", () => {
  it("turns ten simultaneous letters from one address into one signature with one letter", async () => {
    const { justice, pardons } = await letterAction(p);
    const before = await counts();
    const who = supporter("writer");
    const bodies = Array.from({ length: 10 }, (_, i) => ({ ...who, subject: "Free them", body: `Draft ${i}: please free them.` }));
    const responses = await Promise.all(bodies.map((b) => postLetter(p, b, [justice, pardons])));
    expect(responses.map((r) => r.status)).toEqual(bodies.map(() => 302));
    await mailSettled(p);
    const after = await counts();
    expect(after.signatures - before.signatures).toBe(1);
    expect(after.letters - before.letters).toBe(1);
    expect(after.recipients - before.recipients).toBe(2);
    expect(after.confirmed).toBe(before.confirmed);
    const sig = (await signatureOf(p.database.db, who.email))!;
    const letter = await p.database.db.selectFrom("letters").select("body").where("signature_id", "=", sig.id).executeTakeFirstOrThrow();
    expect(bodies.map((b) => b.body)).toContain(letter.body);
    // Racing requests may each ask for a fresh link, up to three. An email still waiting when a later
    // one has gone out is superseded (the later link is the one that matters), so between one and
    // three arrive, none twice.
    const requested = await eventually(async () => {
      const now = (await signatureOf(p.database.db, who.email))!;
      return now.emails_sent === now.emails_requested && now.emails_requested;
    }, 15_000, "every requested email handled");
    await mailSettled(p);
    const received = p.smtp.to(who.email);
    expect(requested).toBeLessThanOrEqual(3);
    expect(received.length).toBeGreaterThanOrEqual(1);
    expect(received.length).toBeLessThanOrEqual(requested);
    expect(new Set(received.map((m) => m.messageId)).size).toBe(received.length);
    expect(received.map((m) => m.messageId)).toContain(`<confirm.${sig.id}.${requested}@inkwell.test>`);
    expect((await counts()).emails - before.emails).toBe(received.length);
  });

  it("confirms once when two different links of one signature are posted at the same moment, again and again", async () => {
    const action = "close-challapalca-and-yanamayo";
    const path = `/campaigns/${DEMO.campaign}/${action}`;
    const who = supporter("twolinks");
    expect((await postSign(p.url, who, path)).status).toBe(302);
    await eventually(async () => p.smtp.to(who.email).length === 1, 15_000, "the first email");
    expect((await postSign(p.url, who, path)).status).toBe(302); // signing again sends a second link
    await eventually(async () => p.smtp.to(who.email).length === 2, 15_000, "the second email");
    const links = p.smtp.to(who.email).map((m) => confirmLink(m.text));
    expect(new Set(links).size).toBe(2);

    const countBefore = (await apiCount(p.url, action)) ?? 0;
    const before = await counts();
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => postConfirm(links[i % 2]!)));
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 302));
    // A replay long after (a reopened tab, a mail client prefetching) changes nothing either.
    expect((await postConfirm(links[0]!)).status).toBe(302);
    await eventually(async () => (await apiCount(p.url, action)) === countBefore + 1, 10_000, "the count to move by one");
    await new Promise((r) => setTimeout(r, 1_500)); // folds run every half second: the count must stay put
    expect(await apiCount(p.url, action)).toBe(countBefore + 1);
    const after = await counts();
    expect(after.confirmed - before.confirmed).toBe(1);
    expect(after.signatures).toBe(before.signatures);
    expect(after.emails).toBe(before.emails);
  });
});
