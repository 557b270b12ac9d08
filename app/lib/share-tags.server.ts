import { env } from "#core/env";
import type { Language } from "../i18n";
import { CARD_HEIGHT, CARD_WIDTH, countBucket } from "./share-card.server";
import { shownImageUrl } from "./image-hosts.server";
import type { ShareTags } from "./share-meta";

interface Shared {
  slug: string;
  title: string;
  description: string;
  imageUrl: string | null;
  count: number;
  /** The language the title and description are written in (the campaign's own when the page's is missing). */
  language: string;
  languages: string[];
}

/**
 * What a link preview shows for a public page at `path`: absolute addresses from APP_URL, the
 * campaign's own image when its host is allowed, otherwise its generated card in `language`.
 */
export function shareTags(campaign: Shared, path: string, language: Language): ShareTags {
  const base = env().APP_URL;
  const own = previewImage(campaign.imageUrl, base);
  const card = `${base}/campaigns/${encodeURIComponent(campaign.slug)}/card.png?lang=${language}&n=${countBucket(campaign.count)}`;
  return {
    title: campaign.title,
    description: campaign.description.slice(0, 300),
    url: `${base}${path}`,
    image: own ?? card,
    imageSize: own ? null : { width: CARD_WIDTH, height: CARD_HEIGHT },
    locale: ogLocale(campaign.language),
    alternateLocales: campaign.languages.filter((l) => l !== campaign.language).map(ogLocale),
  };
}

// Link previews show raster images only: a campaign's SVG gives way to the generated card.
function previewImage(src: string | null, base: string): string | null {
  const shown = shownImageUrl(src);
  if (!shown) return null;
  const url = new URL(shown, base);
  return /\.svgz?$/i.test(url.pathname) ? null : url.href;
}

// Open Graph writes locales as language_TERRITORY; a bare language is what the page really knows.
function ogLocale(language: string): string {
  return language.replace("-", "_");
}
