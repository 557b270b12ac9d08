import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvError, readCsv } from "#db/csv-read";
import { planImport } from "#app/lib/officials-import.server";

describe("readCsv", () => {
  it("reads plain, quoted, escaped and multi-line fields with LF or CRLF", () => {
    expect(readCsv('a,b,c\r\n1,"two, too","say ""hi"""\n"x\ny",,z\n')).toEqual([
      ["a", "b", "c"],
      ["1", "two, too", 'say "hi"'],
      ["x\ny", "", "z"],
    ]);
  });

  it("skips a byte-order mark and blank lines, and reads a last line without a line end", () => {
    expect(readCsv("\uFEFFname\n\nAna\n\nLuis")).toEqual([["name"], ["Ana"], ["Luis"]]);
  });

  it("bad input: refuses an unclosed quote and text after a closing quote, naming the line", () => {
    expect(() => readCsv('a\n"never closed\n')).toThrow(CsvError);
    expect(() => readCsv('a\n"never closed\n')).toThrow(/line 2/);
    expect(() => readCsv('a,b\n"x"y,1')).toThrow(/after a closing quote \(line 2\)/);
  });

  it("reads back what a writer quoted, for any fields", () => {
    const quote = (f: string) => `"${f.replace(/"/g, '""')}"`;
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 10 }), (rows) => {
        expect(readCsv(rows.map((r) => r.map(quote).join(",")).join("\r\n"))).toEqual(rows);
      }),
    );
  });
});

describe("planImport", () => {
  it("sorts rows into valid and failed with the reason, counting the header as row 1", () => {
    const plan = planImport(
      "name,title,organisation,country,email,time_zone\n" +
        "Ana Ruiz,Minister,Ministry of Justice,PE,ana@gob.example,America/Lima\n" +
        "No Country,Judge,Court,ZZ,,UTC\n" +
        "Bad Zone,Judge,Court,PE,,Mars/Olympus\n" +
        "Short,row\n",
    );
    if ("error" in plan) throw new Error(plan.error);
    expect(plan.valid.map((v) => v.row)).toEqual([2]);
    expect(plan.failed.map((f) => [f.row, f.reason])).toEqual([
      [3, "country: Enter a two-letter country code, like PE."],
      [4, "time_zone: Enter a time zone from the IANA list, like America/Lima or Europe/Madrid."],
      [5, "has 2 fields where the header has 6"],
    ]);
  });

  it("bad input: a malformed file or a missing column is one clear error", () => {
    expect(planImport('name,title,organisation,country\n"Ana,Minister')).toEqual({ error: expect.stringMatching(/not valid CSV.*Nothing was imported/) });
    expect(planImport("name,title\nAna,Minister")).toEqual({ error: expect.stringMatching(/organisation, country are missing/) });
    expect(planImport("")).toEqual({ error: expect.stringMatching(/empty/) });
  });
});
