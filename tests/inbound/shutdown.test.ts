import { connect, type Socket } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_CLOSE_MS, startInboundSmtp } from "#jobs/inbound/smtp-listener";
import { startMailSink } from "../../server/demo-mail";
import { createTestDatabase, type TestDatabase } from "../support/db";

// A process stopping on SIGTERM has 30 s before it gives up and exits 1. An SMTP session a sender
// leaves open (mid-message, or idle after the banner) must not hold the listener's close for
// smtp-server's own default of 30 s: it is told 421, which a sender retries later, and closed.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** Connects, reads the banner, starts a message and leaves the session open; collects what the server says after. */
async function openSession(port: number): Promise<{ socket: Socket; said: () => string; closed: Promise<void> }> {
  const socket = connect(port, "127.0.0.1");
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const until = async (pattern: RegExp) => {
    while (!pattern.test(text)) await new Promise((r) => socket.once("data", r));
  };
  await until(/^220 /m);
  socket.write("EHLO sender.example\r\n");
  await until(/^250 /m);
  return { socket, said: () => text, closed };
}

async function closeWithSessionOpen(server: SMTPServer) {
  const port = (server.server.address() as { port: number }).port;
  const session = await openSession(port);
  const started = performance.now();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const took = performance.now() - started;
  await session.closed;
  return { took, said: session.said() };
}

describe("SMTP listeners at shutdown", { timeout: 60_000 }, () => {
  it("the inbound listener tells an open session 421 and closes within its grace period, not smtp-server's 30 s", async () => {
    const server = await startInboundSmtp(database.db, { port: 0, host: "127.0.0.1", maxBytes: 100_000 });
    const { took, said } = await closeWithSessionOpen(server);
    expect(said).toMatch(/^421 /m);
    expect(took).toBeLessThan(SESSION_CLOSE_MS + 10_000);
  });

  it("the demo mail sink does the same", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "inkwell-sink-"));
    try {
      const server = await startMailSink(0, dir);
      const { took, said } = await closeWithSessionOpen(server);
      expect(said).toMatch(/^421 /m);
      expect(took).toBeLessThan(SESSION_CLOSE_MS + 10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
