// Child process of the benchmark: delivers one batch of every waiting letter to one official,
// straight through the delivery code (no queue), and prints time and peak RSS as JSON.
import { closeDb, db } from "#db/client";
import { assembleBatch } from "#db/queries/deliveries";
import { closeMailer, mailDomain } from "#emails/mailer";
import { env as jobsEnv } from "#core/env";
import { sendBatch } from "#jobs/deliver";
import { rssSampler } from "./support";

const actionId = Number(process.env.BENCH_ACTION_ID);
const targetId = Number(process.env.BENCH_TARGET_ID);
const rss = rssSampler();
const started = performance.now();
const deliveryId = await assembleBatch(db(), {
  actionId, targetId, trigger: "manual", maxBytes: jobsEnv().DELIVERY_MAX_BYTES, messageIdDomain: mailDomain(),
});
if (deliveryId === null) throw new Error("nothing to deliver");
const outcome = await sendBatch(db(), { deliveryId });
const seconds = (performance.now() - started) / 1000;
const delivery = await db().selectFrom("deliveries").selectAll().where("id", "=", deliveryId).executeTakeFirstOrThrow();
closeMailer();
await closeDb();
console.log(JSON.stringify({ outcome, seconds, peakRssMb: rss.stop(), items: delivery.items, parts: delivery.parts, status: delivery.status }));
// Whatever else the delivery code opened (a Redis connection for notices, metrics) must not keep the benchmark waiting.
process.exit(0);
