import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, confirmLink, eventually, postSign, startTestPlatform, type TestPlatform } from "./support/platform";

describe("supporter path (smoke)", () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("signs, receives the email, confirms and is counted", async () => {
    const res = await postSign(p.url, { name: "Ana Quispe", email: "ana@example.org", country: "PE" });
    expect(res.status).toBe(302);
    const [mail] = await p.smtp.waitFor(1);
    const link = confirmLink(mail!.text);
    const confirm = await fetch(link, { method: "POST", redirect: "manual" });
    expect(confirm.status).toBe(302);
    const count = await eventually(async () => {
      const api = (await (await fetch(`${p.url}/api/campaigns/${DEMO.campaign}`)).json()) as { actions: { slug: string; count: number }[] };
      return api.actions.find((a) => a.slug === DEMO.action)?.count === 1;
    });
    expect(count).toBe(true);
  });
});
