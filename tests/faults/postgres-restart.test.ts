import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "#app/i18n/en";
import { es } from "#app/i18n/es";
import { letterAction, postLetter } from "../support/letters";
import { DEMO, confirmLink, eventually, postSign, startTestPlatform, type TestPlatform } from "../support/platform";
import { createOwnDatabase, startOwnPostgres, type OwnPostgres } from "../support/postgres";
import { ACTION_PATH, apiCount, mailSettled, page, postConfirm, supporter } from "../support/supporter";

// PostgreSQL restarted while supporters sign and write: meanwhile every request gets a 503 (the
// friendly page, or JSON from the API) and writes nothing; afterwards the same processes carry on.
let cluster: OwnPostgres;
let p: TestPlatform;
let officials: number[];

beforeAll(async () => {
  cluster = await startOwnPostgres();
  p = await startTestPlatform({ database: await createOwnDatabase(cluster) });
  const ids = await letterAction(p);
  officials = [ids.justice, ids.pardons];
});
afterAll(async () => {
  await p?.stop();
  await cluster?.destroy();
});

interface Attempt {
  email: string;
  letter: boolean;
  status: number;
}

/** Supporters signing (every third one writing a letter) as fast as answers come, until stopped. */
function load(parallel: number) {
  const attempts: Attempt[] = [];
  let running = true;
  const loops = Array.from({ length: parallel }, async (_, lane) => {
    for (let i = 0; running; i++) {
      const letter = i % 3 === 2;
      const who = supporter(`load${lane}`);
      const res = letter
        ? await postLetter(p, { ...who, subject: "Free them", body: `A letter from lane ${lane}.` }, officials)
        : await postSign(p.url, who);
      await res.arrayBuffer();
      attempts.push({ email: who.email, letter, status: res.status });
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  return { attempts, stop: async () => { running = false; await Promise.all(loops); } };
}

async function counts() {
  const { rows } = await sql<{ signatures: number; letters: number; recipients: number; consents: number; tokens: number }>`
    select (select count(*) from signatures)::int as signatures, (select count(*) from letters)::int as letters,
           (select count(*) from letter_recipients)::int as recipients, (select count(*) from consents)::int as consents,
           (select count(*) from tokens)::int as tokens
  `.execute(p.database.db);
  return rows[0]!;
}

/**
 * The distinct confirmation emails a supporter received. An email that SMTP accepted just as
 * PostgreSQL went away cannot be marked sent; its retry goes out again with the same Message-ID,
 * which mail clients show once: that is one email to the supporter, never a second link.
 */
function confirmations(email: string): string[] {
  return [...new Set(p.smtp.to(email).map((m) => m.messageId))];
}

describe("PostgreSQL restarted under load", () => {
  let before: Awaited<ReturnType<typeof counts>>;
  let emailsBefore: number;
  let traffic: ReturnType<typeof load>;

  it("signs as usual before the outage", async () => {
    before = await counts();
    emailsBefore = p.smtp.messages.length;
    traffic = load(4);
    await eventually(async () => traffic.attempts.filter((a) => a.status === 302).length >= 6, 20_000, "signatures before the outage");
  });

  it("answers 503 with the friendly page in the visitor's language, and the API with JSON, while it is down", async () => {
    await cluster.stop();
    const action = await page(p.url + ACTION_PATH);
    expect(action.status).toBe(503);
    expect(action.headers.get("retry-after")).toBe("30");
    expect(action.html).toContain(en.unavailable.title);
    expect(action.html).not.toContain(en.error.title);
    const spanish = await page(`${p.url}/campaigns/${DEMO.campaign}`, { headers: { "Accept-Language": "es" } });
    expect(spanish.status).toBe(503);
    expect(spanish.html).toContain(es.unavailable.title);
    const signing = await postSign(p.url, supporter("refused"));
    expect(signing.status).toBe(503);
    expect(await signing.text()).toContain(en.unavailable.body);
    const api = await fetch(`${p.url}/api/campaigns/${DEMO.campaign}`);
    expect(api.status).toBe(503);
    expect(api.headers.get("retry-after")).toBe("30");
    expect(await api.json()).toEqual({ error: "unavailable", retryAfter: 30 });
    const ready = await page(`${p.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.html)).toMatchObject({ status: "unavailable", checks: { postgres: "unreachable", redis: "ok" } });
    expect((await page(`${p.url}/healthz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_000)); // the load keeps knocking
  });

  it("signs again once it is back, without restarting anything", async () => {
    await cluster.start();
    await eventually(async () => (await postSign(p.url, supporter("after"))).status === 302, 30_000, "signing to work again");
    const settled = traffic.attempts.length;
    await eventually(async () => traffic.attempts.slice(settled).filter((a) => a.status === 302).length >= 6, 20_000, "signatures after the outage");
    await traffic.stop();
  });

  it("never answered 500, wrote no half rows, and sends every committed signature exactly one email", async () => {
    const { attempts } = traffic;
    const statuses = new Set(attempts.map((a) => a.status));
    expect([...statuses].sort()).toEqual([302, 503]);
    const refused = attempts.filter((a) => a.status === 503).length;
    expect(refused).toBeGreaterThan(0);

    await mailSettled(p, 90_000);
    const { rows: committed } = await sql<{ email: string; status: string; consents: number; tokens: number; letter: boolean; recipients: number; kind: string }>`
      select u.email, s.status, a.kind,
             (select count(*) from consents c where c.signature_id = s.id and c.kind = 'privacy_notice')::int as consents,
             (select count(*) from tokens t where t.signature_id = s.id)::int as tokens,
             exists (select 1 from letters l where l.signature_id = s.id) as letter,
             (select count(*) from letter_recipients r where r.signature_id = s.id)::int as recipients
      from signatures s join supporters u on u.id = s.supporter_id join actions a on a.id = s.action_id
      where u.email ~ '^s[0-9]+\.(load[0-9]+|after|refused)\.'
    `.execute(p.database.db);
    const byEmail = new Map(committed.map((r) => [r.email, r]));
    // Every supporter told "check your email" is committed, with the consent they gave.
    for (const a of attempts.filter((x) => x.status === 302)) expect(byEmail.has(a.email.toLowerCase()), a.email).toBe(true);
    for (const row of committed) {
      expect(row, row.email).toMatchObject({ status: "pending", consents: 1 });
      expect(row.tokens, row.email).toBeGreaterThanOrEqual(1);
      // A letter is the signature's letter with its officials, or nothing at all.
      expect([row.letter, row.recipients], row.email).toEqual(row.kind === "letter" ? [true, 2] : [false, 0]);
      expect(confirmations(row.email), row.email).toHaveLength(1);
    }
    const after = await counts();
    const letters = committed.filter((r) => r.kind === "letter").length;
    expect(letters).toBeGreaterThan(0);
    expect(committed.some((r) => r.email.includes(".refused."))).toBe(false);
    expect(after.signatures - before.signatures).toBe(committed.length);
    expect(after.consents - before.consents).toBe(committed.length);
    expect(after.letters - before.letters).toBe(letters);
    expect(after.recipients - before.recipients).toBe(letters * 2);
    expect(new Set(p.smtp.messages.slice(emailsBefore).map((m) => m.messageId)).size).toBe(committed.length);
  });

  it("confirms and counts a signature made around the outage", async () => {
    const row = traffic.attempts.find((a) => a.status === 302 && !a.letter)!;
    const mail = p.smtp.to(row.email)[0]!;
    const countBefore = (await apiCount(p.url))!;
    expect((await postConfirm(confirmLink(mail.text))).status).toBe(302);
    await eventually(async () => (await apiCount(p.url)) === countBefore + 1, 20_000, "the count to move");
  });
});
