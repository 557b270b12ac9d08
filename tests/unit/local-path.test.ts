import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { localPath } from "#app/lib/local-path";

const SITE = "https://inkwell.example";

/** Whether a browser on this site, following `location`, would stay on this site. */
function staysOnSite(location: string): boolean {
  if (!location.startsWith("/") || /^[/\\][/\\]/.test(location)) return false;
  let once = location;
  try {
    once = decodeURIComponent(location);
  } catch {
    // a malformed escape stays as typed
  }
  if (/^[/\\][/\\]/.test(once)) return false;
  return new URL(location, SITE).origin === SITE && new URL(location, `${SITE}/deep/er/page`).origin === SITE;
}

describe("a user-supplied return path", () => {
  it.each([
    ["/a/..//evil.example", "dot segments that collapse to //host"],
    ["/admin/../..//evil.example/x", "dot segments past the root"],
    ["/%2e%2e//evil.example", "encoded dot segments"],
    ["//evil.example", "a protocol-relative address"],
    ["/\\evil.example", "slash then backslash"],
    ["\\\\evil.example", "two backslashes"],
    ["/%2F%2Fevil.example", "encoded slashes"],
    ["/%2f/evil.example", "one encoded slash"],
    ["/%5Cevil.example", "an encoded backslash"],
    ["/\t/evil.example", "a tab between the slashes"],
    ["/\n/evil.example", "a line break between the slashes"],
    ["/\r\n/evil.example", "CRLF between the slashes"],
    [" //evil.example", "leading whitespace"],
    ["https://evil.example/", "an absolute address"],
    ["https:evil.example", "a scheme without slashes"],
    ["https:/\\evil.example", "a scheme with mixed slashes"],
    ["javascript:alert(1)", "a script address"],
    ["evil.example", "a bare host"],
    ["", "nothing"],
  ])("refuses %j (%s)", (value) => {
    expect(localPath(value, "/fallback")).toBe("/fallback");
  });

  it.each([
    ["/admin/officials", "/admin/officials"],
    ["/admin?x=1#top", "/admin?x=1#top"],
    ["/campaigns/peru/../peru", "/campaigns/peru"],
    ["/admin/sign-in?next=%2F%2Fevil.example", "/admin/sign-in?next=%2F%2Fevil.example"],
  ])("keeps the path on this site %j as %j", (value, expected) => {
    expect(localPath(value)).toBe(expected);
  });

  it("refuses anything but a string", () => {
    expect(localPath(null)).toBe("/");
    expect(localPath(undefined, "/admin")).toBe("/admin");
    expect(localPath(["/admin"])).toBe("/");
  });

  const pieces = fc.constantFrom(
    "/", "//", "\\", "/\\", ".", "..", "%2e", "%2E%2e", "%2F", "%2f", "%5C", "%5c", "%252F", "\t", "\n", "\r", " ",
    "evil.example", "@", ":", "https:", "http:", "?", "#", "admin", "%", "%00", "\u3002", "\uFF0F", "a",
  );
  const spellings = fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join(""));

  it("whatever the spelling, the answer is a path on this site that reads the same again", () => {
    fc.assert(
      fc.property(fc.oneof(spellings, fc.string(), fc.webUrl(), fc.webPath()), (value) => {
        const path = localPath(value, "/fallback");
        expect(staysOnSite(path)).toBe(true);
        expect(localPath(path, "/other")).toBe(path);
      }),
      { numRuns: 5_000 },
    );
  });

  it("keeps every ordinary path of this site as it is", () => {
    const segment = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const path = `/${segments.join("/")}`;
        expect(localPath(path)).toBe(path);
      }),
    );
  });
});
