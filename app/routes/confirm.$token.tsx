import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "../../db/client";
import { confirmSignature, findByConfirmationToken } from "../../db/queries/signatures";
import { isWellFormedToken } from "../../db/tokens";
import { GeneralErrorBoundary } from "../components/error-boundary";
import { useMessages } from "../root";

export const meta: MetaFunction = () => [{ title: "Confirm — Inkwell" }, { name: "robots", content: "noindex" }];

const noStore = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };

// GET only shows the page, so a mail scanner that follows the link confirms nothing.
export async function loader({ params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const found = isWellFormedToken(token) ? await findByConfirmationToken(db(), token) : undefined;
  return json({ valid: Boolean(found) }, { status: found ? 200 : 404, headers: noStore });
}

export async function action({ params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const confirmed = isWellFormedToken(token) ? await confirmSignature(db(), token) : undefined;
  if (!confirmed) return json({ valid: false }, { status: 404, headers: noStore });
  if (confirmed.status !== "confirmed") return json({ valid: false }, { status: 410, headers: noStore });
  return redirect(`/campaigns/${confirmed.campaignSlug}/${confirmed.actionSlug}/thanks`, { headers: noStore });
}

export default function ConfirmPage() {
  const { valid } = useLoaderData<typeof loader>();
  const t = useMessages();
  const busy = useNavigation().state === "submitting";
  if (!valid) {
    return (
      <section className="panel narrow">
        <h1>{t.confirm.invalidTitle}</h1>
        <p>{t.confirm.invalidBody}</p>
      </section>
    );
  }
  return (
    <section className="panel narrow">
      <h1>{t.confirm.title}</h1>
      <p>{t.confirm.body}</p>
      <Form method="post">
        <button type="submit" className="button primary" disabled={busy}>{t.confirm.button}</button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
