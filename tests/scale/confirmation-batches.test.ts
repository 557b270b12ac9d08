import { UnrecoverableError } from "bullmq";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hashToken } from "#core/tokens";
import { loadPendingSignatures } from "#db/bulk-load";
import { createDb, type DB } from "#db/client";
import { emailMessages } from "#emails/messages";
import { sendConfirmationJob } from "#jobs/definitions";
import { enqueueMany } from "#jobs/queues";
import { sendConfirmations } from "#jobs/send-confirmation";
import { startWorkers } from "#jobs/worker";
import type { CapturedMail } from "../support/smtp";
import { confirmLink, DEMO, eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { mailSettled, postConfirm, withQueue } from "../support/supporter";

// Confirmation jobs that run together are sent as groups (a few statements for the whole group),
// yet each job still stands for one email: received once, with its own Message-ID and a link that
// works, failing alone when the server refuses its address, never sent twice by racing workers.
let p: TestPlatform;
let actionId: number;
let run = 0;
beforeAll(async () => {
  p = await startTestPlatform();
  actionId = (await p.database.db.selectFrom("actions").select("id").where("slug", "=", DEMO.action).executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await p?.stop();
});
beforeEach(() => {
  p.smtp.failWhen(null);
});

interface Signer {
  id: number;
  email: string;
}

/** `n` pending signatures of fresh supporters, their addresses `<tag>-<k>@example.org`. */
async function signers(n: number): Promise<Signer[]> {
  const tag = `batch${(run += 1)}-${process.pid}`;
  const ids = await loadPendingSignatures(p.database.db, actionId, n, tag);
  const rows = await p.database.db.selectFrom("signatures as s").innerJoin("supporters as u", "u.id", "s.supporter_id")
    .select(["s.id", "u.email"]).where("s.id", "in", ids).orderBy("s.id").execute();
  return rows;
}

const recipient = (m: CapturedMail) => (Array.isArray(m.parsed.to) ? m.parsed.to[0] : m.parsed.to)?.value[0]?.address?.toLowerCase();
const received = (email: string) => p.smtp.messages.filter((m) => recipient(m) === email);

/** Each signer's email arrived exactly once, with its Message-ID and a link whose token is its own. */
async function eachReceivedOnce(people: Signer[]) {
  for (const who of people) {
    const mails = received(who.email);
    expect(mails, who.email).toHaveLength(1);
    expect(mails[0]!.messageId).toBe(`<confirm.${who.id}.1@inkwell.test>`);
    const token = confirmLink(mails[0]!.text).split("/confirm/")[1]!;
    const stored = await p.database.db.selectFrom("tokens").select("signature_id").where("hash", "=", hashToken(token)).executeTakeFirst();
    expect(stored?.signature_id, who.email).toBe(who.id);
  }
  const { rows } = await sql<{ id: number; emails_sent: number }>`
    select id, emails_sent from signatures where id = any(${people.map((s) => s.id)}::bigint[]) order by id
  `.execute(p.database.db);
  expect(rows).toEqual(people.map((s) => ({ id: s.id, emails_sent: 1 })));
}

/** Nothing left in the mail queue (a refused email stays owed in Postgres, so `mailSettled` would wait for it). */
const queueSettled = () => eventually(async () => {
  const counts = await withQueue(p, "mail", (q) => q.getJobCounts("waiting", "active", "delayed", "prioritized"));
  return Object.values(counts).every((n) => n === 0);
}, 30_000, "the mail queue to empty");

const queued = (people: Signer[]) => people.map((s) => ({ signatureId: s.id, seq: 1 }));

describe("confirmation emails sent as groups", () => {
  it("sends 200 queued confirmations, each received once with its Message-ID and a working link", async () => {
    const people = await signers(200);
    await enqueueMany(sendConfirmationJob, queued(people));
    await eventually(async () => people.every((who) => received(who.email).length > 0), 60_000, "200 confirmation emails");
    await mailSettled(p, 30_000);
    await eachReceivedOnce(people);
    for (const who of [people[0]!, people[99]!, people[199]!]) {
      const res = await postConfirm(confirmLink(received(who.email)[0]!.text));
      expect(res.status).toBe(302);
      expect((await p.database.db.selectFrom("signatures").select("status").where("id", "=", who.id).executeTakeFirstOrThrow()).status).toBe("confirmed");
    }
  });

  it("settles each email of one group on its own: a 550 fails only its own, a 451 only its own, the others are marked sent", async () => {
    const people = await signers(21);
    // Out of the sweeper's sight (nothing requested), so only this group sends them.
    await sql`update signatures set emails_requested = 0 where id = any(${people.map((s) => s.id)}::bigint[])`.execute(p.database.db);
    const refused = people[10]!;
    const greylisted = people[15]!;
    p.smtp.failWhen((_attempt, to) => (to.includes(refused.email) ? 550 : to.includes(greylisted.email) ? 451 : null));
    const outcomes = await sendConfirmations(p.database.db, queued(people));

    expect(outcomes[10]).toMatchObject({ error: expect.any(UnrecoverableError) });
    expect(outcomes[15]).toMatchObject({ error: expect.objectContaining({ responseCode: 451 }) });
    expect(outcomes[15]).not.toMatchObject({ error: expect.any(UnrecoverableError) });
    const others = people.filter((s) => s !== refused && s !== greylisted);
    expect(outcomes.filter((_, i) => i !== 10 && i !== 15)).toEqual(others.map(() => ({ result: "sent" })));
    await eachReceivedOnce(others);
    const left = await p.database.db.selectFrom("signatures").select(["id", "emails_sent"]).where("id", "in", [refused.id, greylisted.id]).orderBy("id").execute();
    expect(left).toEqual([{ id: refused.id, emails_sent: 0 }, { id: greylisted.id, emails_sent: 0 }]);

    // The same group again: what went out is skipped, the greylisted one now goes out once.
    p.smtp.failWhen((_attempt, to) => (to.includes(refused.email) ? 550 : null));
    const again = await sendConfirmations(p.database.db, queued(people));
    expect(again.filter((_, i) => i !== 10)).toEqual(people.filter((s) => s !== refused).map((s) => ({ result: s === greylisted ? "sent" : "skipped" })));
    await eachReceivedOnce(people.filter((s) => s !== refused));
    expect(received(refused.email)).toHaveLength(0);
  });

  it("sends one email per signature of a group, leaving a second one of the same signature to its retry", async () => {
    const [who] = await signers(1);
    await sql`update signatures set emails_requested = 0 where id = ${who!.id}`.execute(p.database.db);
    const outcomes = await sendConfirmations(p.database.db, [{ signatureId: who!.id, seq: 1 }, { signatureId: who!.id, seq: 2 }]);
    expect(outcomes[0]).toEqual({ result: "sent" });
    expect(outcomes[1]).toMatchObject({ error: expect.any(Error) });
    await eachReceivedOnce([who!]);
  });

  it("through the queue: the refused address fails its job alone, the greylisted one is retried and received once", async () => {
    const people = await signers(40);
    const refused = people[20]!;
    const greylisted = people[30]!;
    let greylistings = 0;
    let refusals = 0;
    p.smtp.failWhen((_attempt, to) => {
      if (to.includes(refused.email)) return (refusals += 1), 550;
      if (to.includes(greylisted.email) && greylistings === 0) return (greylistings += 1), 451;
      return null;
    });
    await enqueueMany(sendConfirmationJob, queued(people));
    const delivered = people.filter((s) => s !== refused);
    await eventually(async () => delivered.every((who) => received(who.email).length > 0), 60_000, "the deliverable emails");
    const job = (id: number) => withQueue(p, "mail", async (q) => {
      const found = await q.getJob(`confirm-${id}-1`);
      return { state: await found?.getState(), reason: found?.failedReason, attempts: found?.attemptsMade };
    });
    await eventually(async () => (await job(refused.id)).state === "failed", 30_000, "the refused job to fail");
    await queueSettled();

    await eachReceivedOnce(delivered);
    expect(await job(refused.id)).toEqual({ state: "failed", reason: "SMTP refused: 550", attempts: 1 });
    expect(refusals).toBe(1);
    expect(received(refused.email)).toHaveLength(0);
    expect((await p.database.db.selectFrom("signatures").select("emails_sent").where("id", "=", refused.id).executeTakeFirstOrThrow()).emails_sent).toBe(0);
    const retried = await job(greylisted.id);
    expect(retried.state).toBe("completed");
    expect(retried.attempts).toBeGreaterThanOrEqual(2);
    expect(greylistings).toBe(1);
  });

  it("never sends one twice when two worker instances and a direct group race over the same emails", async () => {
    const people = await signers(100);
    const other: DB = createDb(p.database.url, 10);
    const third: DB = createDb(p.database.url, 10);
    const second = await startWorkers(other, { prefix: p.prefix, redisUrl: process.env.REDIS_URL, schedules: [] });
    const failedBefore = (await withQueue(p, "mail", (q) => q.getJobCounts("failed"))).failed!;
    try {
      // Each email queued twice (its own job id and a duplicate's), so both workers may take a copy.
      await withQueue(p, "mail", (q) => q.addBulk(queued(people).flatMap((data) => [
        { name: sendConfirmationJob.name, data, opts: { jobId: sendConfirmationJob.jobId!(data) } },
        { name: sendConfirmationJob.name, data, opts: { jobId: `${sendConfirmationJob.jobId!(data)}-again` } },
      ])));
      const direct = await sendConfirmations(third, queued(people.filter((_, i) => i % 3 === 0)));
      expect(direct.every((o) => "result" in o)).toBe(true);
      await eventually(async () => people.every((who) => received(who.email).length > 0), 60_000, "100 confirmation emails");
      await queueSettled();
      await eachReceivedOnce(people);
      expect((await withQueue(p, "mail", (q) => q.getJobCounts("failed"))).failed).toBe(failedBefore);
    } finally {
      await second.close();
      await other.destroy();
      await third.destroy();
    }
  });

  it("gives each supporter of one group their own language, name and link, and an action title edited between groups at once", async () => {
    const db = p.database.db;
    const languages = ["en", "es", "fr", "ar", "es-PE", "fr", "en", "ar"];
    const people = await signers(languages.length);
    const names = people.map((_, i) => `Supporter ${i} ${languages[i]}`);
    await sql`
      update signatures s set language = d.language, name = d.name, emails_requested = 0
      from unnest(${people.map((s) => s.id)}::bigint[], ${languages}::text[], ${names}::text[]) as d(id, language, name) where s.id = d.id
    `.execute(db);
    expect(await sendConfirmations(db, queued(people))).toEqual(people.map(() => ({ result: "sent" })));
    await eachReceivedOnce(people);
    people.forEach((who, i) => {
      const [mail] = received(who.email);
      expect(mail!.html, who.email).toContain(`lang="${languages[i]}"`);
      expect(mail!.text, who.email).toContain(emailMessages(languages[i]!).greeting(names[i]!));
      for (const other of names.filter((_, j) => j !== i)) expect(mail!.text + mail!.html).not.toContain(other);
    });

    const titles = await db.selectFrom("action_translations").select(["language", "title"]).where("action_id", "=", actionId).execute();
    const edited = `Close Challapalca and Yanamayo now ${run}`;
    await db.updateTable("action_translations").set({ title: edited }).where("action_id", "=", actionId).execute();
    try {
      const later = await signers(2);
      await sql`update signatures set emails_requested = 0, language = 'es' where id = ${later[1]!.id}`.execute(db);
      expect(await sendConfirmations(db, queued(later))).toEqual([{ result: "sent" }, { result: "sent" }]);
      for (const who of later) expect(received(who.email)[0]!.text).toContain(edited);
    } finally {
      for (const t of titles) await db.updateTable("action_translations").set({ title: t.title }).where("action_id", "=", actionId).where("language", "=", t.language).execute();
    }
  });
});
