import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsubscribeRef } from "#emails/unsubscribe-link";
import { LETTER_ACTION, letterAction } from "../support/letters";
import { DEMO, startTestPlatform, type TestPlatform } from "../support/platform";
import { mailSettled } from "../support/supporter";

let p: TestPlatform;
beforeAll(async () => {
  // Limits off: the fuzzer must reach the database, not bounce off a 429.
  Object.assign(process.env, {
    RATE_LIMIT_SIGN_PER_IP_PER_MINUTE: "0", RATE_LIMIT_SIGN_PER_EMAIL_PER_HOUR: "0", RATE_LIMIT_LETTER_PER_IP_PER_MINUTE: "0",
    RATE_LIMIT_PRIVACY_REQUEST_PER_HOUR: "0", RATE_LIMIT_UNSUBSCRIBE_PER_IP_PER_MINUTE: "0", SUSPICIOUS_SIGNATURES_PER_IP_PER_HOUR: "0",
  });
  p = await startTestPlatform();
});
afterAll(async () => {
  await p?.stop();
});

const SIGN = `/campaigns/${DEMO.campaign}/${DEMO.action}`;
const LETTER = `/campaigns/${DEMO.campaign}/${LETTER_ACTION}`;
const FIELDS = ["name", "email", "country", "postalCode", "comment", "updates", "subject", "body", "targets", "hp_note", "intent", "List-Unsubscribe", "csrf", "__proto__", ""];

// Strings people and robots send: any code point (lone surrogates too), NULs, huge, malformed escapes.
const nasty = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 120 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom("%", "0", "E", "F", "z", "&", "=", "+", ";", "\u0000", "é", "\uD800", "\r\n"), maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "", " ", "\u0000", "a\u0000b", "%00", "%E0%A4%A", "%", "\uD800", "\uDFFF\uD800", "\uFEFF", "\u202Eevil", "on", "PE", "1", "-1", "1e309", "NaN",
      "<script>alert(1)</script>", "'; drop table supporters; --", "=HYPERLINK(\"http://x\")", "x".repeat(70_000), "é".repeat(3_000), "a@b", "A@EXAMPLE.ORG",
    ),
  },
);
const value = fc.oneof({ weight: 5, arbitrary: nasty }, { weight: 1, arbitrary: fc.array(nasty, { maxLength: 3 }) });
const fieldSet = fc.dictionary(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: nasty }), value, { maxKeys: 12 });

let serial = 0;
/** A valid submission with some fields replaced by nasty ones, so the fuzz reaches the writes too. */
const nearlyValid = (targets: number[]) =>
  fc.tuple(fieldSet, fc.boolean(), fc.subarray(targets), fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 })).map(([junk, keepValid, chosen, name]) => {
    serial += 1;
    const base: Record<string, string | string[]> = {
      name, email: `fuzz${serial}.${process.pid}@example.org`, country: "PE", subject: "Free them", body: "Please free the innocent.", targets: chosen.map(String),
    };
    return keepValid ? { ...junk, ...base } : { ...base, ...junk };
  });

type Encoding = "urlencoded" | "multipart" | "json" | "raw" | "bad-multipart" | "none";
const encoding = fc.constantFrom<Encoding>("urlencoded", "urlencoded", "urlencoded", "multipart", "json", "raw", "bad-multipart", "none");

function encode(fields: Record<string, unknown>, how: Encoding, raw: string): { body: BodyInit | undefined; headers: Record<string, string> } {
  const pairs = Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]]));
  switch (how) {
    case "urlencoded":
      return { body: new URLSearchParams(pairs).toString(), headers: { "Content-Type": "application/x-www-form-urlencoded" } };
    case "multipart": {
      const form = new FormData();
      for (const [k, v] of pairs) form.append(k!, k === "comment" ? new Blob([v!]) : v!);
      return { body: form, headers: {} };
    }
    case "json":
      return { body: JSON.stringify(fields), headers: { "Content-Type": "application/json" } };
    case "raw":
      return { body: raw, headers: { "Content-Type": "application/x-www-form-urlencoded" } };
    case "bad-multipart":
      return { body: `--zz\r\n${raw}`, headers: { "Content-Type": "multipart/form-data; boundary=xyz" } };
    case "none":
      return { body: raw, headers: {} };
  }
}

const seen = new Map<number, number>();
async function send(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<number> {
  const res = await fetch(p.url + path, { method, redirect: "manual", body: init.body, headers: init.headers });
  await res.arrayBuffer();
  seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
  if (res.status >= 500) throw new Error(`${method} ${path.slice(0, 120)} answered ${res.status}`);
  return res.status;
}

const segment = fc.oneof(nasty.map((s) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\uD800-\uDFFF]/g, "%ED%A0%80"); // a lone surrogate, as the malformed UTF-8 a client might send
  }
}), fc.constantFrom("%E0%A4%A", "%", "%00", "..", "%2e%2e%2f", "%C0%AF", "a%ZZb", "A".repeat(43)));
const language = fc.constantFrom("", "es", "en", "xx", "es-PE,es;q=0.9", "*", "\u0000", "en;q=abc");

const runs = Number(process.env.FUZZ_RUNS ?? 1);
// The work is sized by count (numRuns below, about 1,750 requests per run); the time limit only
// catches a hang, so it allows a request 500 ms on a busy machine rather than a fixed budget.
const HANG_LIMIT_MS = 1_750 * 500 * runs;

describe("public routes under generated input", () => {
  it("never answer 5xx, and never store half a submission", { timeout: HANG_LIMIT_MS }, async () => {
    const { justice, pardons } = await letterAction(p);
    const action = await p.database.db.selectFrom("actions").select("campaign_id").where("slug", "=", DEMO.action).executeTakeFirstOrThrow();
    const post = (path: string) =>
      fc.asyncProperty(fc.oneof({ weight: 1, arbitrary: fieldSet }, { weight: 3, arbitrary: nearlyValid([justice, pardons, 999_999]) }), encoding, nasty, language, fc.nat(7).map((n) => n === 0), async (fields, how, raw, lang, crossSite) => {
        const { body, headers } = encode(fields, how, raw);
        const extra = { "Accept-Language": lang.replace(/\u0000/g, ""), ...(crossSite ? { Origin: "https://elsewhere.example" } : {}) };
        await send("POST", path, { body, headers: { ...headers, ...extra } });
      });

    await fc.assert(post(SIGN), { numRuns: 600 * runs });
    await fc.assert(post(LETTER), { numRuns: 400 * runs });
    await fc.assert(post("/privacy/my-data"), { numRuns: 200 * runs });
    await fc.assert(post(`/unsubscribe/${unsubscribeRef(1, action.campaign_id)}`), { numRuns: 150 * runs });

    const tokens = p.smtp.messages.map((m) => /\/confirm\/([A-Za-z0-9_-]{43})/.exec(m.text)?.[1]).filter((t): t is string => Boolean(t));
    const withTokens = fc.oneof(segment, fc.constantFrom(...(tokens.length ? tokens : ["x"])));
    await fc.assert(
      fc.asyncProperty(withTokens, fieldSet, encoding, nasty, async (token, fields, how, raw) => {
        const { body, headers } = encode(fields, how, raw);
        await send("GET", `/confirm/${token}`);
        await send("POST", `/confirm/${token}`, { body, headers });
      }),
      { numRuns: 250 * runs },
    );
    await fc.assert(
      fc.asyncProperty(segment, segment, fieldSet, encoding, nasty, async (a, b, fields, how, raw) => {
        const { body, headers } = encode(fields, how, raw);
        await send("GET", `/lang?to=${a}&back=${b}`, { headers: { Cookie: `lang=${a.replace(/[^\x21-\x7e]/g, "").slice(0, 20)}` } });
        await send("GET", `/campaigns/${a}/${b}`);
        await send("GET", `/api/campaigns/${a}`);
        await send("GET", `/letters/${a}`);
        await send("GET", `/privacy/my-data/${a}`);
        await send("GET", `/privacy/my-data/${a}/download`);
        await send("POST", `/privacy/my-data/${a}`, { body, headers });
        await send("GET", `/unsubscribe/${a}`);
        await send("POST", `/unsubscribe/${b}`, { body, headers });
        await send("GET", `/${a}`);
      }),
      { numRuns: 150 * runs },
    );
    await send("GET", "/api/campaigns");

    // Nothing malformed was stored.
    await mailSettled(p, 60_000);
    const { rows } = await sql<Record<string, number>>`
      select
        (select count(*) from signatures s where not exists (select 1 from consents k where k.signature_id = s.id and k.kind = 'privacy_notice'))::int as without_consent,
        (select count(*) from signatures s where s.updates_opt_in and not exists (select 1 from consents k where k.signature_id = s.id and k.kind = 'updates'))::int as without_updates_consent,
        (select count(*) from signatures s join actions a on a.id = s.action_id where a.kind = 'letter' and not exists (select 1 from letters l where l.signature_id = s.id))::int as letter_action_without_letter,
        (select count(*) from letters l where not exists (select 1 from letter_recipients r where r.signature_id = l.signature_id))::int as letter_without_official,
        (select count(*) from letter_recipients r where r.target_id not in (select target_id from action_targets))::int as letter_to_stranger,
        (select count(*) from signatures s where s.status = 'pending' and s.emails_sent > 0 and not exists (select 1 from tokens t where t.signature_id = s.id))::int as pending_without_token,
        (select count(*) from signatures where name <> btrim(name) or name = '' or name ~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]' or comment ~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]')::int as bad_text,
        (select count(*) from supporters where email <> lower(btrim(email)) or email !~ '^[^@[:space:]]+@[^@[:space:]]+$')::int as bad_email
    `.execute(p.database.db);
    expect(rows[0]).toEqual({
      without_consent: 0, without_updates_consent: 0, letter_action_without_letter: 0, letter_without_official: 0,
      letter_to_stranger: 0, pending_without_token: 0, bad_text: 0, bad_email: 0,
    });
    const written = await sql<{ n: number }>`select count(*)::int as n from signatures`.execute(p.database.db);
    expect(written.rows[0]!.n).toBeGreaterThan(40); // the fuzz reached the writes, not only the refusals
    console.info(`fuzz: ${[...seen.values()].reduce((a, b) => a + b, 0)} requests, statuses ${JSON.stringify(Object.fromEntries(seen))}, ${written.rows[0]!.n} signatures stored`);
  });
});
