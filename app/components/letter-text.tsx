import { blank, letterParts, letterValues, type Placeholder, type PlaceholderValues } from "#core/letter-templates";
import { textDirection } from "#core/rules";
import { isCountryCode } from "../lib/countries";
import { useLanguage, useMessages } from "../root";

export interface LetterOfficial {
  id: number;
  name: string;
  title: string;
  organisation: string;
}

/** What the page knows of the supporter so far; anything not yet given stays a blank. */
export interface KnownSupporter {
  name?: string;
  country?: string;
  postalCode?: string;
}

/**
 * The placeholder values of a letter in `language` as far as they are known: a value missing
 * here shows as a blank. With `final`, an optional postal code left empty is printed as nothing,
 * as the delivery does.
 */
export function knownValues(
  language: string,
  supporter: KnownSupporter,
  official: LetterOfficial | undefined,
  titles: { campaignTitle: string; actionTitle: string },
  final = false,
): PlaceholderValues {
  const name = supporter.name?.normalize("NFC").trim() ?? "";
  const country = supporter.country && isCountryCode(supporter.country) ? supporter.country : "";
  const postalCode = supporter.postalCode?.trim() ?? "";
  const all = letterValues({
    language,
    supporter: { name, country: country || "ZZ", postalCode },
    target: official ?? { name: "", title: "", organisation: "" },
    ...titles,
  });
  const values: PlaceholderValues = { ...all };
  if (!name) delete values["supporter.name"];
  if (!country) delete values["supporter.country"];
  if (!postalCode && !final) delete values["supporter.postal_code"];
  if (!official) for (const p of ["target.name", "target.title", "target.organisation"] as const) delete values[p];
  return values;
}

/**
 * A letter as it reads: placeholders filled with what is known, the rest as readable blanks in
 * the reader's language (`[your name]`), never as braces. Carries the letter's own language and
 * direction.
 */
export function LetterText({ language, subject, body, values, className }: {
  language: string;
  subject: string;
  body: string;
  values: PlaceholderValues;
  className?: string;
}) {
  const t = useMessages();
  const reader = useLanguage();
  const show = (template: string) =>
    letterParts(template).map((part, i) => {
      if ("text" in part) return part.text;
      const value = values[part.placeholder];
      if (value === undefined) return <span key={i} className="blank" lang={reader} dir={textDirection(reader)}>{blank(t.letterPage.blanks[part.placeholder as Placeholder])}</span>;
      return value ? <span key={i} className="filled">{value}</span> : null;
    });
  return (
    <div className={className ? `letter-sheet ${className}` : "letter-sheet"} lang={language} dir={textDirection(language)}>
      <p className="letter-subject">{show(subject)}</p>
      <div className="letter-text">{show(body)}</div>
    </div>
  );
}
