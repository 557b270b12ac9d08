import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsubscribeUrl } from "#emails/unsubscribe-link";
import { deliverAction } from "#services/deliveries";
import { letterAction, writeAndConfirm } from "../support/letters";
import { eventually, startTestPlatform, type TestPlatform } from "../support/platform";
import { listUnsubscribeUrl, oneClick } from "./support";

const notices = (p: TestPlatform, email: string) => p.smtp.to(email).filter((m) => m.messageId.startsWith("<notice."));

describe("delivery notices", () => {
  let p: TestPlatform;
  let ids: Awaited<ReturnType<typeof letterAction>>;

  beforeAll(async () => {
    process.env.DELIVERY_NOTICE_DELAY_MS = "2500";
    process.env.MAIL_RATE_PER_SECOND = "100";
    p = await startTestPlatform();
    ids = await letterAction(p);
  });
  afterAll(async () => {
    await p?.stop();
  });

  async function deliver(targetId: number) {
    const { batches } = await deliverAction(p.database.db, ids.actionId, { trigger: "manual", targetIds: [targetId] });
    expect(batches).toHaveLength(1);
    await eventually(async () => {
      const d = await p.database.db.selectFrom("deliveries").select("status").where("id", "=", batches[0]!).executeTakeFirstOrThrow();
      return d.status === "sent";
    }, 20_000, "the batch to be delivered");
  }

  it("tells each supporter who opted in, once, listing every official their letter reached that day", async () => {
    const a = await writeAndConfirm(p, [ids.justice, ids.pardons], { updates: "on" });
    const b = await writeAndConfirm(p, [ids.justice, ids.pardons], { updates: "on", language: "es" });
    const quiet = await writeAndConfirm(p, [ids.justice, ids.pardons]);
    await deliver(ids.justice);
    await deliver(ids.pardons);

    const [mailA] = await eventually(async () => (notices(p, a.email).length ? notices(p, a.email) : null), 20_000, "the notice");
    await eventually(async () => notices(p, b.email).length > 0, 10_000, "the second notice");
    await new Promise((r) => setTimeout(r, 500));
    expect(notices(p, a.email)).toHaveLength(1);
    expect(notices(p, b.email)).toHaveLength(1);
    expect(notices(p, quiet.email)).toHaveLength(0);
    expect(mailA!.subject).toBe("Your letters were delivered to 2 officials");
    expect(mailA!.text).toMatch(/Your letter was delivered to .+ on \d{1,2} \w+ \d{4}\./);
    expect(mailA!.text.match(/Your letter was delivered to/g)).toHaveLength(2);
    listUnsubscribeUrl(mailA!);
  });

  it("sends at most one a day: a later delivery the same day waits for tomorrow's notice", async () => {
    const c = await writeAndConfirm(p, [ids.justice, ids.pardons], { updates: "on" });
    await deliver(ids.justice);
    await eventually(async () => notices(p, c.email).length > 0, 20_000, "today's notice");
    await deliver(ids.pardons);
    const supporter = await p.database.db.selectFrom("supporters").select("id").where("email", "=", c.email).executeTakeFirstOrThrow();
    const rows = await eventually(async () => {
      const r = await p.database.db.selectFrom("delivery_notices").select(["status", "day"]).where("supporter_id", "=", supporter.id).orderBy("day").execute();
      return r.length === 2 ? r : null;
    }, 10_000, "tomorrow's notice to be owed");
    expect(rows.map((r) => r.status)).toEqual(["sent", "queued"]);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(notices(p, c.email)).toHaveLength(1);
  });

  it("respects an unsubscribe: no notice for a supporter who left the campaign before the letter arrived", async () => {
    const db = p.database.db;
    const gone = await writeAndConfirm(p, [ids.justice], { updates: "on" });
    const stays = await writeAndConfirm(p, [ids.justice], { updates: "on" });
    const supporter = await db.selectFrom("supporters").select("id").where("email", "=", gone.email).executeTakeFirstOrThrow();
    const campaign = await db.selectFrom("actions").select("campaign_id").where("id", "=", ids.actionId).executeTakeFirstOrThrow();
    expect((await oneClick(unsubscribeUrl(supporter.id, campaign.campaign_id))).status).toBe(200);
    await deliver(ids.justice);
    await eventually(async () => notices(p, stays.email).length > 0, 20_000, "the notice of the one who stayed");
    const row = await eventually(
      () => db.selectFrom("delivery_notices").select("status").where("supporter_id", "=", supporter.id).where("status", "!=", "queued").executeTakeFirst(),
      10_000, "the notice to be settled",
    );
    expect(row.status).toBe("skipped");
    expect(notices(p, gone.email)).toHaveLength(0);
  });
});
