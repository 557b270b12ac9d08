import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { NextFunction, Request, Response, Router } from "express";
import { sessionFromCookieHeader } from "#app/lib/auth.server";
import { queueDashboardPolicy } from "./http/security-headers";
import { TWO_FACTOR_PATH, needsTwoFactorSetUp } from "#app/lib/two-factor-policy.server";
import { QUEUE_NAMES, queue } from "#jobs/queues";

export const QUEUES_PATH = "/admin/queues";

/**
 * Lets only a signed-in admin through, reading the same session cookie as the workspace:
 * anyone signed out is sent to sign in (and brought back), a campaigner without the role gets 404.
 */
export async function adminGate(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const session = await sessionFromCookieHeader(req.headers.cookie ?? null);
    res.set("Cache-Control", "no-store");
    if (!session) {
      const back = req.method === "GET" ? req.originalUrl : QUEUES_PATH;
      res.redirect(302, `/admin/sign-in?next=${encodeURIComponent(back)}`);
      return;
    }
    if (session.campaigner.role !== "admin") {
      res.status(404).type("text/plain").send("Not found");
      return;
    }
    if (await needsTwoFactorSetUp(session.campaigner.id)) {
      res.redirect(302, TWO_FACTOR_PATH);
      return;
    }
    res.setHeader("Content-Security-Policy", queueDashboardPolicy());
    next();
  } catch (err) {
    next(err);
  }
}

/** bull-board over every queue of this deployment (its QUEUE_PREFIX), behind the admin gate. */
export function queuesDashboard(): Router {
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(queue(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: "Inkwell queues" } },
  });
  return serverAdapter.getRouter() as Router;
}
