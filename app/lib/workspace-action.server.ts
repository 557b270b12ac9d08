import { json, type ActionFunctionArgs, type TypedResponse } from "@remix-run/node";
import type { Submission, SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { z } from "zod";
import { requireCampaigner, verifiedForm, type CampaignerSession } from "./auth.server";
import { workspaceShape } from "./form-body.server";
import { requireCampaignAccess } from "./roles.server";

/** What a workspace post is allowed to touch: at least the session, often the campaign or record too. */
export interface Access {
  session: CampaignerSession;
}

type Parsed<S extends z.ZodType> = Submission<z.input<S>, string[], z.output<S>>;
type Valid<S extends z.ZodType> = Extract<Parsed<S>, { status: "success" }>;

/** A valid workspace post: who sent it, what it is about, the form as read and its parsed values. */
export type WorkspacePost<A extends Access, S extends z.ZodType> = A & { formData: FormData; submission: Valid<S> };

export interface WorkspaceActionOptions<A extends Access, S extends z.ZodType> {
  /** Who may post here (a 404 or the sign-in page for anyone else), and what the page is about. */
  access: (args: ActionFunctionArgs) => Promise<A>;
  /** The one schema the form is read through and parsed with. */
  schema: S;
  /** Read the body as plain fields (a button with hidden fields) rather than through the schema's shape. */
  plainBody?: boolean;
}

/** Any signed-in campaigner. */
export const signedIn = async ({ request }: ActionFunctionArgs): Promise<Access> => ({ session: await requireCampaigner(request) });

/** A campaigner who may work on the campaign in the address (`:id`). */
export const campaignAccess = ({ request, params }: ActionFunctionArgs) => requireCampaignAccess(request, params.id);

/**
 * The opening every single-form workspace action shares: the session and access check, the bounded
 * form read with its anti-forgery token (403), the schema parse, and a 400 with the form's field
 * errors (or the `invalid` reply) when the input does not fit. The handler sees only valid input.
 * Routes export `action = (args) => workspaceAction(args, …)`: a function the browser build can drop.
 */
export function workspaceAction<A extends Access, S extends z.ZodType, R, I>(
  args: ActionFunctionArgs,
  options: WorkspaceActionOptions<A, S> & { invalid: (submission: Parsed<S>) => I },
  handle: (post: WorkspacePost<A, S>) => Promise<R>,
): Promise<R | I>;
export function workspaceAction<A extends Access, S extends z.ZodType, R>(
  args: ActionFunctionArgs,
  options: WorkspaceActionOptions<A, S>,
  handle: (post: WorkspacePost<A, S>) => Promise<R>,
): Promise<R | TypedResponse<SubmissionResult<string[]>>>;
export async function workspaceAction<A extends Access, S extends z.ZodType, R>(
  args: ActionFunctionArgs,
  options: WorkspaceActionOptions<A, S> & { invalid?: (submission: Parsed<S>) => unknown },
  handle: (post: WorkspacePost<A, S>) => Promise<R>,
) {
  const access = await options.access(args);
  const formData = await verifiedForm(args.request, access.session, options.plainBody ? undefined : workspaceShape(options.schema));
  const submission = parseWithZod(formData, { schema: options.schema }) as Parsed<S>;
  if (submission.status !== "success") return options.invalid ? options.invalid(submission) : json(submission.reply(), { status: 400 });
  return handle({ ...access, formData, submission: submission as Valid<S> });
}
