export { lettersCsv, neutraliseCsvCell, signersCsv } from "./csv";
export { attachmentLabels, type AttachmentLabels } from "./labels";
export { lettersPdf, petitionPdf } from "./pdf";
export type { BatchHeading, LetterRow, SignerRow } from "./rows";
