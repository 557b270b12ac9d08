/** Every word the batch attachments print, in each language; a missing key fails the type check. */
const en = {
  lettersCsvHeader: ["name", "country", "date", "subject", "letter"],
  signersCsvHeader: ["name", "country", "date", "comment"],
  page: (n: number) => `Page ${n}`,
  continued: (name: string) => `Letter from ${name} (continued)`,
  petition: "Petition",
  addressedTo: "Addressed to",
  date: "Date",
  batch: "Batch",
  signaturesFollow: "The names of the people who signed this petition follow.",
  signatures: "Signatures",
  signaturesContinued: "Signatures (continued)",
  number: "No.",
  name: "Name",
  country: "Country",
  signed: "Signed",
};

const es: typeof en = {
  lettersCsvHeader: ["nombre", "país", "fecha", "asunto", "carta"],
  signersCsvHeader: ["nombre", "país", "fecha", "comentario"],
  page: (n: number) => `Página ${n}`,
  continued: (name: string) => `Carta de ${name} (continuación)`,
  petition: "Petición",
  addressedTo: "Dirigida a",
  date: "Fecha",
  batch: "Lote",
  signaturesFollow: "A continuación figuran los nombres de las personas que firmaron esta petición.",
  signatures: "Firmas",
  signaturesContinued: "Firmas (continuación)",
  number: "N.º",
  name: "Nombre",
  country: "País",
  signed: "Fecha",
};

export type AttachmentLabels = typeof en;
const catalogue: Record<string, AttachmentLabels> = { en, es };

/** The attachment strings for `language` ("es", "es-PE"…), English when it is not one we write in. */
export function attachmentLabels(language: string): AttachmentLabels {
  return catalogue[language.toLowerCase().split(/[-_]/)[0] ?? ""] ?? en;
}
