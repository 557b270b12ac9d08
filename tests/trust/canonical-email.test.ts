import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalEmail, normaliseEmail } from "#core/rules";
import { createTestDatabase, type TestDatabase } from "../support/db";

// Limits per address are counted in Redis under `canonicalEmail`, computed in the web process, while
// the supporter on file is found by the database's `inkwell_canonical_email`: the two must agree on
// every address a supporter can type, or Gmail variants would get an allowance each.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const DOMAINS = ["gmail.com", "GoogleMail.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "gmx.de", "example.org", "correo.pe", "xn--mnchen-3ya.de"];
const local = fc.stringMatching(/^[A-Za-z0-9._+-]{1,24}$/);
const address = fc.tuple(local, fc.constantFrom(...DOMAINS), fc.boolean()).map(([l, d, twoAts]) => normaliseEmail(`${twoAts ? `${l}@x` : l}@${d}`));

describe("canonical address", () => {
  it("is the same in the web process as in Postgres, for 1,000 generated addresses and the known edge cases", async () => {
    const samples = fc.sample(address, { numRuns: 1_000, seed: 2003 });
    samples.push("j.o.h.n+peru@gmail.com", "john@googlemail.com", "a+b+c@outlook.com", "first.last+x@example.org", "ñandú.pérez@correo.pe", "+@gmail.com", ".@gmail.com");
    const { rows } = await sql<{ email: string; canonical: string }>`
      select e as email, inkwell_canonical_email(e) as canonical from unnest(${samples}::text[]) as u(e)
    `.execute(database.db);
    const mismatches = rows.filter((r) => canonicalEmail(r.email) !== r.canonical);
    expect(mismatches).toEqual([]);
    expect(rows).toHaveLength(samples.length);
    expect(canonicalEmail("j.o.h.n+peru@googlemail.com")).toBe("john@gmail.com");
  });
});
