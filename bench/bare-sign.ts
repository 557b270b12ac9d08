// The benchmark's baseline for signing: a bare node:http server doing what the sign POST does —
// validate the form with the same schema, commit the pending signature and its consents in one
// transaction, enqueue the confirmation by id, answer 302 — without Express, Remix or React.
// Runs WEB_CONCURRENCY processes, like the real server. It explains where the time goes: the gap
// between it and bench/minimal.ts is the cost of the transaction and validation themselves.
import { createServer } from "node:http";
import { signSchema } from "#app/forms/sign";
import { messages } from "#app/i18n/index";
import { db } from "#db/client";
import { findPublicAction } from "#db/queries/actions";
import { recordSignature } from "#db/queries/signatures";
import { normaliseEmail } from "#core/rules";
import { sendConfirmationJob } from "#jobs/definitions";
import { enqueue } from "#jobs/queues";
import { serveInCluster } from "./cluster";

serveInCluster("bare listening", () => {
  const t = messages("en");
  return createServer((req, res) => {
    const [, , campaign, action] = (req.url ?? "").split("/");
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", async () => {
      try {
        const found = await findPublicAction(db(), campaign ?? "", action ?? "");
        const parsed = signSchema.safeParse(Object.fromEntries(new URLSearchParams(body)));
        if (!found || !parsed.success) {
          res.writeHead(found ? 400 : 404).end();
          return;
        }
        const form = parsed.data;
        const outcome = await db().transaction().execute((trx) =>
          recordSignature(trx, {
            actionId: found.id, campaignId: found.campaignId, email: normaliseEmail(form.email), name: form.name,
            country: form.country, postalCode: form.postalCode ?? null, comment: form.comment ?? null, language: "en",
            updatesOptIn: form.updates, ipHash: null, privacyWording: t.sign.privacy, updatesWording: t.sign.updates, source: req.url ?? "",
          }),
        );
        if (outcome.sendSeq !== null) await enqueue(sendConfirmationJob, { signatureId: outcome.signatureId, seq: outcome.sendSeq }).catch(() => {});
        res.writeHead(302, { Location: `/campaigns/${campaign}/${action}/sent` }).end();
      } catch {
        res.writeHead(500).end();
      }
    });
  });
});
