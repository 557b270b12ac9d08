import { render } from "@react-email/render";
import type { ReactElement } from "react";

// html-to-text's node shapes, as far as the link formatter reads them.
type Node = { type?: string; data?: string; children?: Node[]; attribs?: Record<string, string> };
type Builder = { addInline(text: string, options?: { noWordTransform?: boolean }): void; addLineBreak(): void };

const textOf = (nodes: Node[] = []): string => nodes.map((n) => (n.type === "text" ? (n.data ?? "") : textOf(n.children))).join("");

/**
 * A link in the plain-text part: its words, then its address on a line of its own (a link whose
 * words are its address is written once), so a reader can copy it and no mail program breaks it.
 */
function linkOnItsOwnLine(elem: Node, walk: (nodes: Node[] | undefined, builder: Builder) => void, builder: Builder) {
  const href = elem.attribs?.href ?? "";
  const words = textOf(elem.children).trim();
  if (!href || words === href) {
    if (words === href && href) builder.addLineBreak();
    walk(elem.children, builder);
    if (href) builder.addLineBreak();
    return;
  }
  walk(elem.children, builder);
  builder.addLineBreak();
  builder.addInline(href, { noWordTransform: true });
  builder.addLineBreak();
}

const textOptions = {
  formatters: { linkOnItsOwnLine },
  selectors: [{ selector: "a", format: "linkOnItsOwnLine" }],
};

/** An email element rendered to its HTML and its plain-text part. */
export async function renderEmail(element: ReactElement): Promise<{ html: string; text: string }> {
  const [html, text] = await Promise.all([
    render(element),
    render(element, { plainText: true, htmlToTextOptions: textOptions as never }),
  ]);
  // Blank lines left where a link closed a paragraph: at most one empty line between blocks.
  return { html, text: text.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim() + "\n" };
}
