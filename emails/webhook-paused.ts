const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The alert a campaign's owners get when one of its webhook endpoints is paused after failing. */
export function renderWebhookPaused(input: { url: string; failures: number; workspaceUrl: string }) {
  const text = [
    `Inkwell stopped sending events to ${input.url} after ${input.failures} failed attempts in a row.`,
    "Events are still recorded. Once the endpoint works again, resume it and replay what it missed:",
    input.workspaceUrl,
  ].join("\n\n");
  const html = `<p>Inkwell stopped sending events to <code>${escape(input.url)}</code> after ${input.failures} failed attempts in a row.</p>
<p>Events are still recorded. Once the endpoint works again, resume it and replay what it missed: <a href="${escape(input.workspaceUrl)}">${escape(input.workspaceUrl)}</a></p>`;
  return { subject: "A webhook endpoint was paused", text, html };
}
