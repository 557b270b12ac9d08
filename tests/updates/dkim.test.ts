import { spawn } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dkimOptions } from "#emails/config";
import { prepareConfirmSignature } from "#emails/confirm-signature";
import { envSchema as emailsEnvSchema, missingDkimVariable } from "#core/env";
import { createTransport, sendMail } from "#emails/mailer";
import { SERVER_START } from "../support/processes";
import { startSmtpCapture, type SmtpCapture } from "../support/smtp";
import { rawHeader } from "./support";

describe("DKIM signing", () => {
  let smtp: SmtpCapture;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
  });
  afterAll(async () => {
    await smtp?.close();
  });

  it("signs every message when DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY are set", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const env = emailsEnvSchema.parse({ DKIM_DOMAIN: "inkwell.test", DKIM_SELECTOR: "mail2026", DKIM_PRIVATE_KEY: pem.replace(/\n/g, "\\n") });
    const transport = createTransport(smtp.url, 1, dkimOptions(env));
    try {
      await sendMail({ to: "reader@example.org", subject: "Signed", html: "<p>Signed</p>", text: "Signed", messageId: "<dkim.1@inkwell.test>" }, transport);
    } finally {
      transport.close();
    }
    const [mail] = await smtp.waitFor(1);
    const signature = rawHeader(mail!, "DKIM-Signature");
    expect(signature).toBeDefined();
    expect(signature).toMatch(/\bd=inkwell\.test;/);
    expect(signature).toMatch(/\bs=mail2026;/);
    expect(signature).toMatch(/\bb=[A-Za-z0-9+/=\s]{100,}/);
  });

  it("signs a confirmation email whose parts come encoded from the cached template, over the very body that arrived", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const env = emailsEnvSchema.parse({ DKIM_DOMAIN: "inkwell.test", DKIM_SELECTOR: "mail2026", DKIM_PRIVATE_KEY: pem.replace(/\n/g, "\\n") });
    const transport = createTransport(smtp.url, 1, dkimOptions(env));
    const mail = await prepareConfirmSignature({ language: "es", name: "Ana Quispe", actionTitle: "Liberen a los inocentes", confirmUrl: "https://inkwell.test/confirm/abc", reminder: false });
    expect(mail.html).toHaveProperty("raw");
    try {
      await sendMail({ to: "confirm-dkim@example.org", ...mail, messageId: "<dkim.2@inkwell.test>" }, transport);
    } finally {
      transport.close();
    }
    const received = (await smtp.waitFor(2)).find((m) => m.raw.includes("<dkim.2@inkwell.test>"))!;
    const signature = rawHeader(received, "DKIM-Signature")!;
    expect(signature).toMatch(/\bc=relaxed\/relaxed;/);
    // The body hash (relaxed canonicalisation, RFC 6376 3.4.4) of what arrived is the one signed.
    const body = received.raw.slice(received.raw.search(/\r?\n\r?\n/)).replace(/^\r?\n\r?\n/, "");
    const relaxed = body.split(/\r?\n/).map((line) => line.replace(/[ \t]+/g, " ").replace(/ $/, "")).join("\r\n").replace(/(\r\n)*$/, "") + "\r\n";
    expect(/\bbh=([^;]+)/.exec(signature)![1]!.replace(/\s/g, "")).toBe(createHash("sha256").update(relaxed).digest("base64"));
    expect(received.text).toContain("https://inkwell.test/confirm/abc");
  });

  it("is off when none of the three is set", () => {
    expect(dkimOptions(emailsEnvSchema.parse({}))).toBeUndefined();
  });

  it("bad input: a partial configuration names the missing variable and the worker refuses to start", async () => {
    expect(missingDkimVariable({ DKIM_DOMAIN: "inkwell.test", DKIM_PRIVATE_KEY: "x" })).toBe("DKIM_SELECTOR");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const env: NodeJS.ProcessEnv = {
      ...process.env, DKIM_DOMAIN: "inkwell.test", DKIM_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      LOG_LEVEL: "silent", QUEUE_PREFIX: `dkim${process.pid}`,
    };
    delete env.DKIM_SELECTOR;
    const child = spawn(process.execPath, [SERVER_START, "--worker"], {
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain("DKIM_SELECTOR");
  });
});
