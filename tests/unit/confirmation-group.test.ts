import { describe, expect, it } from "vitest";
import type { DB } from "#db/client";
import type { ConfirmationDue } from "#db/queries/confirmation-send";
import { groupSender, type ConfirmationOutcome } from "#jobs/confirmation-group";

/** A group sender over a fake send that records its groups and answers when told to. */
function harness(answer: (group: ConfirmationDue[]) => ConfirmationOutcome[] = (g) => g.map(() => ({ result: "sent" }))) {
  const groups: ConfirmationDue[][] = [];
  const release: (() => void)[] = [];
  let hold = false;
  const sender = groupSender({} as DB, async (_db, group) => {
    groups.push(group);
    if (hold) await new Promise<void>((r) => release.push(r));
    return answer(group);
  });
  return { sender, groups, release, holdSends: (on: boolean) => (hold = on) };
}

const due = (signatureId: number, seq = 1) => ({ signatureId, seq });
const turn = () => new Promise((r) => setImmediate(r));
async function until(condition: () => boolean) {
  while (!condition()) await new Promise((r) => setTimeout(r, 1));
}

describe("the confirmation group sender", () => {
  it("sends a lone email at once, in a group of its own", async () => {
    const h = harness();
    expect(await h.sender.send(due(1))).toBe("sent");
    expect(h.groups).toEqual([[due(1)]]);
  });

  it("gathers emails arriving together into groups of at most 50, two groups at a time", async () => {
    const h = harness();
    h.holdSends(true);
    const all = Array.from({ length: 260 }, (_, i) => h.sender.send(due(i + 1)));
    await new Promise((r) => setImmediate(r));
    expect(h.groups.map((g) => g.length)).toEqual([50, 50]);
    h.holdSends(false);
    h.release.splice(0).forEach((r) => r());
    expect(await Promise.all(all)).toEqual(all.map(() => "sent"));
    expect(h.groups.map((g) => g.length)).toEqual([50, 50, 50, 50, 50, 10]);
    expect(h.groups.flat().map((d) => d.signatureId)).toEqual(Array.from({ length: 260 }, (_, i) => i + 1));
  });

  it("while a group is out, lets the next gather until it is as large, or briefly when no more come", async () => {
    const h = harness();
    h.holdSends(true);
    const sends = Array.from({ length: 10 }, (_, i) => h.sender.send(due(i + 1)));
    await turn();
    expect(h.groups.map((g) => g.length)).toEqual([10]);
    sends.push(...[11, 12, 13, 14].map((id) => h.sender.send(due(id))));
    await turn();
    expect(h.groups.map((g) => g.length)).toEqual([10]);
    sends.push(...[15, 16, 17, 18, 19, 20].map((id) => h.sender.send(due(id))));
    await turn();
    expect(h.groups.map((g) => g.length)).toEqual([10, 10]);
    sends.push(...[21, 22, 23].map((id) => h.sender.send(due(id))));
    h.release.shift()!();
    // The first group is done; the three waiting go out without ten more to gather.
    await until(() => h.groups.length === 3);
    expect(h.groups.map((g) => g.length)).toEqual([10, 10, 3]);
    h.holdSends(false);
    h.release.splice(0).forEach((r) => r());
    expect(await Promise.all(sends)).toEqual(sends.map(() => "sent"));
  });

  it("never puts two emails of one signature in the same group, nor in groups sent at the same time", async () => {
    const h = harness();
    h.holdSends(true);
    const first = h.sender.send(due(7, 1));
    await new Promise((r) => setImmediate(r));
    const later = [h.sender.send(due(7, 2)), h.sender.send(due(8, 1))];
    await new Promise((r) => setImmediate(r));
    expect(h.groups).toEqual([[due(7, 1)], [due(8, 1)]]);
    h.holdSends(false);
    h.release.splice(0).forEach((r) => r());
    await Promise.all([first, ...later]);
    expect(h.groups).toEqual([[due(7, 1)], [due(8, 1)], [due(7, 2)]]);
  });

  it("settles each email with its own outcome, and fails the whole group only when the group itself fails", async () => {
    const refused = new Error("refused");
    const h = harness((g) => g.map((d) => (d.signatureId === 2 ? { error: refused } : { result: d.signatureId === 3 ? "skipped" : "sent" })));
    const results = await Promise.allSettled([1, 2, 3].map((id) => h.sender.send(due(id))));
    expect(results).toEqual([
      { status: "fulfilled", value: "sent" },
      { status: "rejected", reason: refused },
      { status: "fulfilled", value: "skipped" },
    ]);
    const broken = groupSender({} as DB, () => Promise.reject(new Error("postgres down")));
    await expect(Promise.all([broken.send(due(1)), broken.send(due(2))])).rejects.toThrow("postgres down");
  });
});
