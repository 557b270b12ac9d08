/** How dates, countries and free text are written in one batch's attachments. */
export interface BatchFormat {
  /** "12 de marzo de 2026": dates on letters and cover pages. */
  longDate(date: Date): string;
  /** "12 mar 2026": dates in the signers table. */
  shortDate(date: Date): string;
  /** "Perú" for "PE"; anything that is not a region code is printed as given. */
  country(code: string): string;
}

/** A BCP 47 tag Intl accepts: `language` when it is well formed, English otherwise. */
export function intlLocale(language: string): string {
  try {
    return Intl.getCanonicalLocales(language)[0] ?? "en";
  } catch {
    return "en";
  }
}

/** Formatters for `language`, built once per attachment (Intl objects are costly to create). */
export function batchFormat(language: string): BatchFormat {
  const locale = intlLocale(language);
  // Dates are written in UTC, as in the CSV, so the PDF and the spreadsheet of one batch agree.
  const long = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
  const short = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const regions = new Intl.DisplayNames([locale], { type: "region", fallback: "code" });
  return {
    longDate: (date) => long.format(date),
    shortDate: (date) => short.format(date),
    country: (code) => {
      if (!/^[A-Za-z]{2}$/.test(code)) return code;
      try {
        return regions.of(code.toUpperCase()) ?? code;
      } catch {
        return code;
      }
    },
  };
}

/** The calendar date of `date` in UTC, as YYYY-MM-DD. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Supporter text made safe to typeset: \n line breaks, tabs as spaces, no control characters, no runs of blank lines. */
export function plainText(text: string): string {
  // Control characters have no glyph and can upset pdfkit's line breaking.
  return text
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, "\n")
    .replace(/\t/g, "    ")
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, "")
    .replace(/[ \u00A0]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** `text` on one line: for names, titles and labels, where a line break would break the layout. */
export function oneLine(text: string): string {
  return plainText(text).replace(/\s*\n\s*/g, " ");
}
