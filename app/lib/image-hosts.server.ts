import { isAllowedImage } from "#emails/image-hosts";
import { env } from "#core/env";

/** Whether a campaign image may show on a page: on the site itself or on a host listed in IMAGE_HOSTS. */
export function isShownImage(src: string): boolean {
  const e = env();
  return isAllowedImage(src, e.IMAGE_HOSTS, { siteOrigin: new URL(e.APP_URL).origin, allowPaths: true });
}

/** A campaign image address as a page may show it, or null when its host is not listed. */
export function shownImageUrl(src: string | null): string | null {
  return src && isShownImage(src) ? src : null;
}

/** Why a campaign image address cannot be saved, or null: its host must be listed in IMAGE_HOSTS. */
export function imageUrlProblem(src: string | undefined): string | null {
  if (!src || isShownImage(src)) return null;
  const hosts = env().IMAGE_HOSTS;
  return hosts.length
    ? `Images can only come from ${hosts.join(", ")}. Upload it there, or ask an admin to add its host.`
    : "Images from other sites are switched off here. Ask an admin to add the image's host to IMAGE_HOSTS.";
}
