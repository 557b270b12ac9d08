import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { signSchema } from "#app/forms/sign";

const valid = { name: "Ana Quispe", email: "ana@example.org", country: "PE" };

/** Parses fields the way the server action does: from a submitted form. */
function submit(fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return parseWithZod(form, { schema: signSchema });
}

/** The error keys per field, or undefined when the submission is valid. */
function errors(fields: Record<string, string>) {
  const s = submit(fields);
  return s.status === "success" ? undefined : s.error;
}

describe("sign form schema", () => {
  it("accepts a complete, ordinary signature", () => {
    const s = submit({ ...valid, postalCode: "Lima 15001", comment: "Free them now." });
    expect(s.status).toBe("success");
    if (s.status !== "success") return;
    expect(s.value).toEqual({ ...valid, postalCode: "Lima 15001", comment: "Free them now.", updates: false });
  });

  it("asks for every required field when the form is empty", () => {
    expect(errors({})).toEqual({ name: ["required"], email: ["required"], country: ["country"] });
  });

  it("treats a name of only spaces as missing", () => {
    expect(errors({ ...valid, name: "   " })).toEqual({ name: ["required"] });
  });

  it("rejects a name over 100 characters and a comment over 1,000", () => {
    expect(errors({ ...valid, name: "a".repeat(100) })).toBeUndefined();
    expect(errors({ ...valid, name: "a".repeat(101) })).toEqual({ name: ["tooLong"] });
    expect(errors({ ...valid, comment: "a".repeat(1_000) })).toBeUndefined();
    expect(errors({ ...valid, comment: "a".repeat(1_001) })).toEqual({ comment: ["tooLong"] });
  });

  it("rejects an address that is not an email", () => {
    for (const email of ["ana", "ana@", "@example.org", "ana@example", "ana example@example.org"]) {
      expect(errors({ ...valid, email })).toEqual({ email: ["email"] });
    }
  });

  it("rejects an email address over 254 characters", () => {
    expect(errors({ ...valid, email: `${"a".repeat(64)}@${"b".repeat(190)}.org` })).toEqual({ email: ["tooLong"] });
  });

  it("rejects a country that is not on the list", () => {
    expect(errors({ ...valid, country: "XX" })).toEqual({ country: ["country"] });
    expect(errors({ ...valid, country: "pe" })).toEqual({ country: ["country"] });
  });

  it("accepts postal codes of letters, digits, spaces and hyphens only", () => {
    expect(errors({ ...valid, postalCode: "SW1A 1AA" })).toBeUndefined();
    expect(errors({ ...valid, postalCode: "28013-Ñ" })).toBeUndefined();
    expect(errors({ ...valid, postalCode: "<b>15001" })).toEqual({ postalCode: ["postalCode"] });
    expect(errors({ ...valid, postalCode: "15001;" })).toEqual({ postalCode: ["postalCode"] });
  });

  it("rejects NUL bytes and control characters in every text field with the controlChars key", () => {
    for (const bad of ["\u0000", "\u0007", "\u001b[31m", "\u007f", "\u0085", "\u2028"]) {
      expect(errors({ ...valid, name: `Ana${bad}Quispe` })).toEqual({ name: ["controlChars"] });
      expect(errors({ ...valid, comment: `Free${bad}them` })).toEqual({ comment: ["controlChars"] });
    }
    expect(errors({ ...valid, email: "ana\u0000@example.org" })).toEqual({ email: ["controlChars"] });
  });

  it("allows line breaks in the comment but not in the name", () => {
    expect(errors({ ...valid, comment: "First line\r\nSecond line\n\tindented" })).toBeUndefined();
    expect(errors({ ...valid, name: "Ana\nQuispe" })).toEqual({ name: ["controlChars"] });
    expect(errors({ ...valid, name: "Ana\tQuispe" })).toEqual({ name: ["controlChars"] });
  });

  it("accepts HTML in the name as plain text, unchanged (it is escaped on output)", () => {
    const s = submit({ ...valid, name: "<script>alert('x')</script>", comment: "<b>bold</b> & more" });
    expect(s.status).toBe("success");
    if (s.status !== "success") return;
    expect(s.value.name).toBe("<script>alert('x')</script>");
    expect(s.value.comment).toBe("<b>bold</b> & more");
  });

  it("trims and NFC-normalises names so the same name typed two ways is stored once", () => {
    const s = submit({ ...valid, name: "  Jose\u0301 Quispe " });
    expect(s.status === "success" && s.value.name).toBe("Jos\u00e9 Quispe");
  });

  it("reads the updates checkbox as ticked only when the browser sends it", () => {
    const ticked = submit({ ...valid, updates: "on" });
    const unticked = submit(valid);
    expect(ticked.status === "success" && ticked.value.updates).toBe(true);
    expect(unticked.status === "success" && unticked.value.updates).toBe(false);
    const forged = submit({ ...valid, updates: "yes please" });
    expect(forged.status === "success" && forged.value.updates).toBe(false);
  });

  it("drops empty optional fields instead of storing empty strings", () => {
    const s = submit({ ...valid, postalCode: "  ", comment: "" });
    expect(s.status === "success" && [s.value.postalCode, s.value.comment]).toEqual([undefined, undefined]);
  });
});
