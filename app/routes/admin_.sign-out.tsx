import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession, getCampaignerSession, verifyCsrf } from "../lib/auth.server";
import { readForm } from "../lib/form-body.server";

export async function loader() {
  // Signing out changes state, so it is a POST from the workspace's button; a GET just goes back.
  return redirect("/admin");
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await getCampaignerSession(request);
  if (session) verifyCsrf(await readForm(request), session);
  return redirect("/admin/sign-in", { headers: { "Set-Cookie": await endSession(request) } });
}
