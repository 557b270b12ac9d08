/** Where a supporter can pass an action on from the thank-you page; each name becomes `share-<name>`. */
export const SHARE_CHANNELS = ["link", "email", "whatsapp", "x", "facebook", "bluesky"] as const;

export type ShareChannel = (typeof SHARE_CHANNELS)[number];

/** The action's address once per channel, each with `?source=share-<channel>` for the signature to record. */
export function shareLinks(actionUrl: string): Record<ShareChannel, string> {
  return Object.fromEntries(SHARE_CHANNELS.map((c) => [c, `${actionUrl}?source=share-${c}`])) as Record<ShareChannel, string>;
}
