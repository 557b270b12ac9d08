// Child process of the benchmark: the confirmation pipeline's baseline. Renders one confirmation
// email and sends it BENCH_MESSAGES times straight through nodemailer's pooled transport (the same
// pool the worker uses), all at once, after BENCH_WARMUP untimed ones, and prints the time as JSON.
import { renderConfirmSignature } from "#emails/confirm-signature";
import { createTransport, sendMail } from "#emails/mailer";

const count = Number(process.env.BENCH_MESSAGES);
const transport = createTransport(process.env.SMTP_URL!);
const mail = await renderConfirmSignature({
  language: "en", name: "Bench Supporter", actionTitle: "Free the innocent",
  confirmUrl: `http://127.0.0.1/confirm/${"x".repeat(43)}`, reminder: false,
});
const send = (n: number, from: number) =>
  Promise.all(Array.from({ length: n }, (_, k) => sendMail({ to: `direct-${from + k}@example.org`, ...mail, messageId: `<direct.${from + k}@inkwell.example>` }, transport)));
// Untimed first, as the worker's first emails are: the pool's connections open, the code warms up.
await send(Number(process.env.BENCH_WARMUP ?? 0), count);
const started = performance.now();
await send(count, 0);
const seconds = (performance.now() - started) / 1000;
transport.close();
console.log(JSON.stringify({ seconds }));
process.exit(0);
