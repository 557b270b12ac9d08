import type { MetaDescriptor } from "@remix-run/node";

/** The link preview of a public page, in absolute addresses, built on the server by `shareTags`. */
export interface ShareTags {
  title: string;
  description: string;
  url: string;
  image: string;
  imageSize: { width: number; height: number } | null;
  locale: string;
  alternateLocales: string[];
}

/** Open Graph and Twitter card tags for a page's `meta` export; Remix escapes every value. */
export function shareMeta(tags: ShareTags | undefined): MetaDescriptor[] {
  if (!tags) return [];
  return [
    { property: "og:type", content: "website" },
    { property: "og:site_name", content: "Inkwell" },
    { property: "og:title", content: tags.title },
    { property: "og:description", content: tags.description },
    { property: "og:url", content: tags.url },
    { property: "og:image", content: tags.image },
    ...(tags.imageSize
      ? [
          { property: "og:image:type", content: "image/png" },
          { property: "og:image:width", content: String(tags.imageSize.width) },
          { property: "og:image:height", content: String(tags.imageSize.height) },
        ]
      : []),
    { property: "og:image:alt", content: tags.title },
    { property: "og:locale", content: tags.locale },
    ...tags.alternateLocales.map((l) => ({ property: "og:locale:alternate", content: l })),
    { name: "twitter:card", content: "summary_large_image" },
    { name: "twitter:title", content: tags.title },
    { name: "twitter:description", content: tags.description },
    { name: "twitter:image", content: tags.image },
    { name: "twitter:image:alt", content: tags.title },
    { tagName: "link", rel: "canonical", href: tags.url },
  ];
}
