import { describe, expect, it } from "vitest";
import { renderConfirmSignature } from "#emails/confirm-signature";
import { confirmProps as base } from "./confirm-email-props";


// Awkward names a supporter might type (bad input for an HTML template): markup, entities, quotes, runs of spaces.
const names = ['<b>&"\'', "O'Brien & Sons", "Ana  María \t López", "&amp; already escaped", "José 🕊️ Ñandú", "<script>alert(1)</script>"];

describe("confirmation email rendered from the cached template", () => {
  it("is exactly what a fresh render gives, in both languages, first email and reminder", async () => {
    for (const language of ["en", "es"]) {
      for (const reminder of [false, true]) {
        for (const name of names) {
          const props = { ...base, language, reminder, name, actionTitle: `${name} — «title»`, confirmUrl: `${base.confirmUrl}?a=1&b='2'` };
          const cached = await renderConfirmSignature(props);
          const fresh = await renderConfirmSignature(props, { cached: false });
          expect(cached, `${language} ${reminder} ${name}`).toEqual(fresh);
        }
      }
    }
  });

  it("escapes a name like <b>&\"' in the HTML and leaves it plain in the text", async () => {
    const mail = await renderConfirmSignature({ ...base, name: '<b>&"\'' });
    expect(mail.html).toContain("Dear &lt;b&gt;&amp;&quot;&#x27;,");
    expect(mail.html).not.toContain("<b>&");
    expect(mail.text).toContain("Dear <b>&\"',");
  });

  it("never lets one message's name or link into the next", async () => {
    const first = await renderConfirmSignature({ ...base, name: "First Person", confirmUrl: "https://inkwell.example/confirm/one" });
    const second = await renderConfirmSignature({ ...base, name: "Second Person", confirmUrl: "https://inkwell.example/confirm/two" });
    expect(second.html).not.toContain("First Person");
    expect(second.text).not.toContain("/confirm/one");
    expect(second.text).toContain("/confirm/two");
    expect(first.html).toContain("/confirm/one");
    expect(second.html).not.toMatch(/inkwell(name|title)[0-9a-f]{16}|inkwell\.invalid/);
  });
});
