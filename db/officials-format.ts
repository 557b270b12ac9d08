/** An official as letters, packs and tables name them. */
export interface OfficialName {
  name: string;
  title: string;
  organisation?: string;
}

const same = (a: string, b: string) => a.trim().normalize("NFC").toLocaleLowerCase() === b.trim().normalize("NFC").toLocaleLowerCase();

/**
 * The lines that name an official, each once: an official known only by their office (name and
 * title alike, "Ministro de Justicia") is printed once, not "Ministro de Justicia, Ministro de Justicia".
 */
export function officialLines(o: OfficialName): string[] {
  const lines: string[] = [];
  for (const part of [o.name, o.title, o.organisation ?? ""].map((p) => p.replace(/\s+/g, " ").trim())) {
    if (part && !lines.some((l) => same(l, part))) lines.push(part);
  }
  return lines;
}

/** An official on one line, "Name, Title", each part once: for tables, lists and sentences. */
export function officialLabel(o: OfficialName): string {
  return officialLines({ name: o.name, title: o.title }).join(", ");
}
