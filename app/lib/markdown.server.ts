import MarkdownIt from "markdown-it";
import { dropUnlistedImages } from "#emails/image-hosts";
import { isShownImage } from "./image-hosts.server";

// Raw HTML is escaped, and markdown-it refuses javascript:, vbscript: and data: links by default.
const md = new MarkdownIt({ html: false, linkify: true, typographer: true });
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet("rel", "noopener noreferrer nofollow");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// An image from an unlisted host would tell it who read the campaign, and when.
dropUnlistedImages(md, isShownImage);

/** Campaign Markdown to HTML that is safe to put in a page. */
export function renderMarkdown(source: string): string {
  return md.render(source);
}
