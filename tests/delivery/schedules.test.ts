import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveryTick, syncDeliverySchedules } from "#jobs/deliver";
import { letterAction, OFFICIALS, writeAndConfirm } from "../support/letters";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";

describe("delivery schedules", () => {
  let p: TestPlatform;
  let queue: Queue;
  let ids: Awaited<ReturnType<typeof letterAction>>;
  const schedulers = async () => (await queue.getJobSchedulers(0, -1)).filter((s) => s.key.startsWith("deliver-"));
  const setMode = (values: Record<string, unknown>) =>
    p.database.db.updateTable("actions").set(values).where("id", "=", ids.actionId).execute();

  beforeAll(async () => {
    p = await startTestPlatform();
    ids = await letterAction(p);
    queue = new Queue("delivery", { connection: { url: process.env.REDIS_URL! }, prefix: p.prefix });
  });
  afterAll(async () => {
    await queue?.close();
    await p?.stop();
  });

  it("installs a daily job scheduler at the local hour in each official's time zone", async () => {
    await setMode({ delivery_mode: "daily", delivery_local_hour: 7 });
    await syncDeliverySchedules(p.database.db, queue);
    const mine = (await schedulers()).find((s) => s.key.startsWith(`deliver-${ids.actionId}-`));
    expect(mine).toMatchObject({ pattern: "0 7 * * *", tz: "America/Lima" });
  });

  it("replaces it when the schedule changes to every N hours, and removes it for on-demand delivery", async () => {
    await setMode({ delivery_mode: "interval", delivery_every_hours: 6 });
    await syncDeliverySchedules(p.database.db, queue);
    const mine = (await schedulers()).filter((s) => s.key.startsWith(`deliver-${ids.actionId}-`));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ every: 6 * 3_600_000 });
    await setMode({ delivery_mode: "manual" });
    await syncDeliverySchedules(p.database.db, queue);
    // The worker's own tick syncs too; wait for both to agree rather than racing them.
    await eventually(async () => (await schedulers()).every((s) => !s.key.startsWith(`deliver-${ids.actionId}-`)), 10_000, "scheduler removed");
  });

  it("delivers to an official as soon as N new letters wait for them", async () => {
    await setMode({ delivery_mode: "threshold", delivery_threshold: 2 });
    await writeAndConfirm(p, [ids.justice]);
    await deliveryTick(p.database.db, queue);
    expect(p.smtp.messages.filter((m) => m.to.includes(OFFICIALS.justice))).toEqual([]);
    await writeAndConfirm(p, [ids.justice]);
    await deliveryTick(p.database.db, queue);
    const mail = await eventually(async () => p.smtp.messages.find((m) => m.to.includes(OFFICIALS.justice)), 15_000, "threshold batch");
    expect(mail.subject).toMatch(/^2 cartas/);
  });
});
