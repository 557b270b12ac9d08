import { parseWithZod } from "@conform-to/zod/v4";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSignForm } from "#app/forms/sign-check";
import { letterSchema, signSchema } from "#app/forms/sign";

// The browser checks the sign and letter forms with parseSignForm (no zod), the server with Conform's
// parseWithZod: the same input must give the same messages and the same values either way.

const samples = ["", " ", "   ", "Ana Quispe", "ana@example.org", "ana@", "PE", "XX", "pe", "15001", "<b>1", "on", "yes", "\u0000", "a\nb", "Jose\u0301", "0", "1", "2", "-1", "1.5", "abc", "a".repeat(101), "a".repeat(260)];
const value = fc.oneof(fc.constantFrom(...samples), fc.string({ maxLength: 12 }));
const fields = ["name", "email", "country", "postalCode", "comment", "updates", "subject", "body"] as const;

function form(entries: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

function both(f: FormData, schema: typeof signSchema | typeof letterSchema) {
  const server = parseWithZod(f, { schema });
  const client = parseSignForm(f, { letter: schema === letterSchema });
  const view = (s: typeof server | typeof client) => (s.status === "success" ? { status: s.status, value: s.value as unknown } : { status: s.status, error: s.error });
  return { server: view(server), client: view(client) };
}

describe("validation in the browser and on the server", () => {
  it("gives the same messages and values for any sign form", () => {
    fc.assert(
      fc.property(fc.subarray([...fields]), fc.array(value, { minLength: 8, maxLength: 8 }), (present, values) => {
        const f = form(present.map((k) => [k, values[fields.indexOf(k)]!]));
        const { server, client } = both(f, signSchema);
        expect(client).toEqual(server);
      }),
      { numRuns: 400 },
    );
  });

  it("gives the same messages and values for any letter form, officials included", () => {
    fc.assert(
      fc.property(fc.subarray([...fields]), fc.array(value, { minLength: 8, maxLength: 8 }), fc.array(fc.constantFrom("", "1", "2", "0", "-3", "x", "1.5"), { maxLength: 3 }), (present, values, targets) => {
        const f = form([...present.map((k): [string, string] => [k, values[fields.indexOf(k)]!]), ...targets.map((t): [string, string] => ["targets", t])]);
        const { server, client } = both(f, letterSchema);
        expect(client).toEqual(server);
      }),
      { numRuns: 400 },
    );
  });

  it("names the same problems on an empty letter form", () => {
    const { server, client } = both(form([]), letterSchema);
    expect(client).toEqual(server);
    expect(Object.keys((client.status === "error" && client.error) || {}).sort()).toEqual(["body", "country", "email", "name", "subject", "targets"]);
  });

  it("answers an address of only spaces with the catalogue's message, never zod's English default", () => {
    const { server, client } = both(form([["name", "Ana"], ["email", "   "], ["country", "PE"]]), signSchema);
    expect(server).toEqual({ status: "error", error: { email: ["email"] } });
    expect(client).toEqual(server);
  });
});
