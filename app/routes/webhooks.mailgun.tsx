import type { ActionFunctionArgs } from "@remix-run/node";
import { takeMailgunEvent } from "../lib/mailgun-webhook.server";

/** Mailgun's bounce, complaint and delivery events, signed with the webhook signing key. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Only POST.", { status: 405, headers: { Allow: "POST" } });
  return takeMailgunEvent(request);
}

export function loader() {
  return new Response("Only POST.", { status: 405, headers: { Allow: "POST" } });
}
