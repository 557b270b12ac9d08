import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { connect } from "node:net";
import getPort from "get-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CAMPAIGNER } from "#db/seed";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { SERVER_START } from "../support/processes";
import { startSmtpCapture, type SmtpCapture } from "../support/smtp";

// Production and demo starts as an operator runs them: the compiled server (or demo.ts, db/seed.ts through tsx) in a process of its own.
const GOOD_SECRET = randomBytes(48).toString("base64url");
let database: TestDatabase;
let smtp: SmtpCapture;
beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtpCapture();
});
afterAll(async () => {
  await smtp?.close();
  await database?.drop();
});

function baseEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "silent",
    DATABASE_URL: database.url, REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", QUEUE_PREFIX: `m${randomBytes(4).toString("hex")}`,
    ...extra,
  };
}

interface Run {
  code: Promise<number | null>;
  output: () => string;
  /** Resolves once the output matches (rejects if the process exits first). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<number | null>;
}

/** Runs an entry point as its npm script does: the compiled server with node, demo.ts and db/seed.ts through tsx. */
function run(file: string, args: string[], env: Record<string, string | undefined>): Run {
  const loader = file.endsWith(".ts") ? ["--import", "tsx"] : [];
  const child = spawn(process.execPath, [...loader, file, ...args], { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const code = new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  return {
    code,
    output: () => out,
    waitFor: (pattern, timeoutMs = 150_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) {
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        check();
        setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${out.slice(-1500)}`)), timeoutMs).unref();
        void code.then((c) => reject(new Error(`exited with ${c} before ${pattern}:\n${out.slice(-1500)}`)));
      }),
    stop: () => {
      child.kill("SIGTERM");
      return code;
    },
  };
}

async function refusal(env: Record<string, string>, role = "--web", file = SERVER_START) {
  const r = run(file, role ? [role] : [], baseEnv(env));
  const code = await r.code;
  return { code, output: r.output() };
}

const production = (extra: Record<string, string> = {}) => ({ NODE_ENV: "production", SESSION_SECRET: GOOD_SECRET, SMTP_URL: "smtp://127.0.0.1:2", WEB_CONCURRENCY: "1", ...extra });

describe("production refuses an unsafe configuration", { timeout: 180_000 }, () => {
  it("refuses the published SESSION_SECRET, a short one and a predictable one, saying how to make a good one (web and worker)", async () => {
    const cases = [["--web", "change-me-to-a-long-random-string"], ["--worker", "inkwell-development-secret-change-me"], ["--web", "short-but-sixteen!"], ["--worker", "x".repeat(48)]] as const;
    for (const { code, output } of await Promise.all(cases.map(([role, secret]) => refusal(production({ SESSION_SECRET: secret }), role)))) {
      expect(code, output).toBe(1);
      expect(output).toContain("SESSION_SECRET: ");
      expect(output).toContain("randomBytes(48).toString('base64url')");
    }
  });

  it("refuses to start without SMTP_URL, naming it (web and worker)", async () => {
    for (const { code, output } of await Promise.all(["--web", "--worker"].map((role) => refusal(production({ SMTP_URL: "" }), role)))) {
      expect(code, output).toBe(1);
      expect(output).toContain("SMTP_URL: must be set in production");
    }
  });

  it("refuses demo mode, `npm run demo` and switched-off limits", async () => {
    const [demo, npmDemo, limits] = await Promise.all([refusal(production({ DEMO_MODE: "1" })), refusal(production(), "", "server/demo.ts"), refusal(production({ RATE_LIMITS: "off" }))]);
    expect(demo.code).toBe(1);
    expect(demo.output).toContain("DEMO_MODE: demo mode never runs with NODE_ENV=production");
    expect(npmDemo.code).toBe(1);
    expect(npmDemo.output).toContain("DEMO_MODE: demo mode never runs with NODE_ENV=production");
    expect(limits.code).toBe(1);
    expect(limits.output).toContain("RATE_LIMITS: cannot be off with NODE_ENV=production");
  });

  it("refuses a TRUST_PROXY it cannot read, naming it", async () => {
    const { code, output } = await refusal({ TRUST_PROXY: "true" });
    expect(code).toBe(1);
    expect(output).toContain("TRUST_PROXY: ");
  });
});

describe("the demo mailbox exists only in demo mode", { timeout: 240_000 }, () => {
  it("answers 404 for /dev/mailbox in a production start, and in a development start not asked for demo mode", async () => {
    for (const env of [production({ SMTP_URL: smtp.url }), { NODE_ENV: "development" }]) {
      const port = await getPort({ host: "127.0.0.1" });
      const web = run(SERVER_START, ["--web"], baseEnv({ ...env, PORT: String(port), HOST: "127.0.0.1", APP_URL: `http://127.0.0.1:${port}` }));
      try {
        await web.waitFor(/Inkwell is running/);
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
        expect((await fetch(`http://127.0.0.1:${port}/dev/mailbox`)).status).toBe(404);
      } finally {
        await web.stop();
      }
    }
  });

  it("starts one demo mail sink for several web processes, which all serve the mailbox", async () => {
    const [port, smtpPort] = [await getPort({ host: "127.0.0.1" }), await getPort({ host: "127.0.0.1" })];
    const mailbox = `.cache/mailbox-${process.pid}`;
    const web = run(SERVER_START, ["--web"], baseEnv({
      NODE_ENV: "development", DEMO_MODE: "1", WEB_CONCURRENCY: "2", PORT: String(port), HOST: "127.0.0.1",
      APP_URL: `http://127.0.0.1:${port}`, DEMO_SMTP_PORT: String(smtpPort), MAILBOX_DIR: mailbox, LOG_LEVEL: "info",
    }));
    try {
      await web.waitFor(/Inkwell is running at \S+ \(2 web processes\)/);
      for (let i = 0; i < 6; i++) expect((await fetch(`http://127.0.0.1:${port}/dev/mailbox`)).status).toBe(200);
      // One sink answers on the demo SMTP port.
      const banner = await new Promise<string>((resolve, reject) => {
        const socket = connect(smtpPort, "127.0.0.1").once("error", reject);
        socket.once("data", (chunk: Buffer) => {
          socket.destroy();
          resolve(chunk.toString());
        });
      });
      expect(banner).toMatch(/^220 .*Inkwell demo mail sink/);
      expect(web.output()).not.toMatch(/process died|failed to start|EADDRINUSE/);
    } finally {
      const code = await web.stop();
      expect(code, web.output()).toBe(0);
      rmSync(mailbox, { recursive: true, force: true });
    }
  });
});

describe("db:seed", { timeout: 180_000 }, () => {
  const demoAccounts = () => database.db.selectFrom("campaigners").select("id").where("email", "=", DEMO_CAMPAIGNER.email).execute();

  it("seeds the campaign without the demo account (its password is published) unless demo mode is asked for", async () => {
    const plain = await refusal({}, "", "db/seed.ts");
    expect(plain.code, plain.output).toBe(0);
    expect(await database.db.selectFrom("campaigns").select("id").execute()).not.toHaveLength(0);
    expect(await demoAccounts()).toHaveLength(0);
    const demo = await refusal({ DEMO_MODE: "1" }, "", "db/seed.ts");
    expect(demo.code, demo.output).toBe(0);
    expect(await demoAccounts()).toHaveLength(1);
  });
});
