import { useEffect } from "react";

/** The message the partner page's /embed.js listens for. */
export const EMBED_HEIGHT_MESSAGE = "inkwell:embed-height";

/**
 * Tells the framing page how tall this page is, whenever that changes, so its script can size the
 * frame. Only the allowed partner origin is told (never "*"); with no known partner, nothing is sent.
 */
export function EmbedHeight({ partner }: { partner: string | null }) {
  useEffect(() => {
    if (!partner || window.parent === window) return;
    const send = () => window.parent.postMessage({ type: EMBED_HEIGHT_MESSAGE, height: Math.ceil(document.documentElement.scrollHeight) }, partner);
    send();
    const observer = new ResizeObserver(send);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [partner]);
  return null;
}
