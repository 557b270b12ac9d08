import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueFanOut } from "#services/updates";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { addManySupporters, draftUpdate, markDue, sentUpdate } from "./support";

const RATE = 5;
const RECIPIENTS = 20;

describe("updates are paced by MAIL_RATE_PER_SECOND", () => {
  let p: TestPlatform;

  beforeAll(async () => {
    process.env.MAIL_RATE_PER_SECOND = String(RATE);
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.stop();
  });

  it(`never lets ${RECIPIENTS} recipients through faster than ${RATE} a second`, async () => {
    const db = p.database.db;
    await addManySupporters(db, RECIPIENTS, `rate${process.pid}`);
    const updateId = await draftUpdate(db);
    await markDue(db, updateId);

    // Note when each message lands at the SMTP server.
    const arrivals: number[] = [];
    const watch = setInterval(() => {
      while (arrivals.length < p.smtp.messages.length) arrivals.push(performance.now());
    }, 10);
    await queueFanOut(updateId, new Date());
    await sentUpdate(p, updateId, 60_000);
    await p.smtp.waitFor(RECIPIENTS);
    clearInterval(watch);
    while (arrivals.length < p.smtp.messages.length) arrivals.push(performance.now());

    expect(p.smtp.messages).toHaveLength(RECIPIENTS);
    // The limiter allows RATE jobs per one-second window: 20 messages need at least four windows,
    // so they cannot all arrive within two seconds, and no second holds more than two windows' worth.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(2_000);
    for (const start of arrivals) {
      expect(arrivals.filter((t) => t >= start && t < start + 1_000).length).toBeLessThanOrEqual(2 * RATE);
    }
  });
});
