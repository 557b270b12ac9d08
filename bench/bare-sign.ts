// The benchmark's baseline for signing: a bare node:http server doing what the sign POST does —
// validate the form with the same schema, commit the pending signature and its consents in one
// transaction, enqueue the confirmation by id, answer 302 — without Express, Remix or React.
// Runs WEB_CONCURRENCY processes, like the real server.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { signSchema } from "#app/forms/sign";
import { messages } from "#app/i18n/index";
import { db } from "#db/client";
import { findPublicAction } from "#db/queries/actions";
import { recordSignature } from "#db/queries/signatures";
import { normaliseEmail } from "#core/rules";
import { sendConfirmationJob } from "#jobs/definitions";
import { enqueue } from "#jobs/queues";

const processes = Number(process.env.WEB_CONCURRENCY ?? 1);
const port = Number(process.env.PORT);

if (cluster.isPrimary && processes > 1) {
  let listening = 0;
  cluster.on("listening", () => ++listening === processes && console.log("bare listening"));
  for (let i = 0; i < processes; i++) cluster.fork();
  process.on("SIGTERM", () => {
    const children = Object.values(cluster.workers ?? {}).filter((c) => c !== undefined);
    let left = children.length;
    for (const c of children) {
      c.once("exit", () => --left === 0 && process.exit(0));
      c.process.kill("SIGTERM");
    }
  });
} else {
  const t = messages("en");
  const server = createServer((req, res) => {
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
  server.listen(port, "127.0.0.1", () => processes === 1 && console.log("bare listening"));
  process.on("SIGTERM", () => process.exit(0));
}
