// Summarises a V8 .cpuprofile (node --cpu-prof): self time grouped by package, then the functions
// that cost most, so a profile of a web process under load reads in a few lines. `--callers NAME`
// says who a native frame's time belongs to (`writev`: which client's socket writes).
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25] [--callers writev [--depth 12]]
import { readFileSync } from "node:fs";
import path from "node:path";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Which package (or part of Inkwell, or of the runtime) a script URL belongs to. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const file = url.replace(/^file:\/\//, "");
  const at = file.lastIndexOf("node_modules/");
  if (at >= 0) {
    const parts = file.slice(at + 13).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const rel = path.relative(process.cwd(), file);
  if (rel === "build/index.js") return "inkwell: remix bundle (app/)";
  if (rel.startsWith("build/server/")) return "inkwell: server bundle";
  return `inkwell: ${rel.split("/")[0]}`;
}

export function summarise(profile: Profile, top = 25) {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (!us) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const where = url ? `${path.basename(url)}:${lineNumber + 1}` : "";
    const key = `${pkg} — ${functionName || "(anonymous)"}${where ? ` (${where})` : ""}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: Math.round((us / total) * 1000) / 10 }));
  return { totalMs: Math.round(total / 1000), packages: rank(byPackage), functions: rank(byFunction) };
}

/** Self time of the frames named `name`, by the chain of their callers (`depth` frames up). */
export function callersOf(profile: Profile, name: string, depth = 8, top = 10) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const chains = new Map<string, number>();
  for (const n of profile.nodes) {
    if (n.callFrame.functionName !== name || !self.get(n.id)) continue;
    const chain: string[] = [];
    for (let up = parent.get(n.id); up !== undefined && chain.length < depth; up = parent.get(up)) {
      const f = byId.get(up)!.callFrame;
      chain.push(`${f.functionName || "(anonymous)"} (${packageOf(f.url, f.functionName)}${f.url ? `:${path.basename(f.url)}:${f.lineNumber + 1}` : ""})`);
    }
    const key = chain.join(" ← ");
    chains.set(key, (chains.get(key) ?? 0) + self.get(n.id)!);
  }
  return [...chains.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([chain, us]) => ({ chain, ms: Math.round(us / 1000) }));
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("profile-summary.ts")) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [--top N]");
    process.exit(2);
  }
  const topAt = process.argv.indexOf("--top");
  const callersAt = process.argv.indexOf("--callers");
  const depthAt = process.argv.indexOf("--depth");
  if (callersAt > 0) {
    for (const c of callersOf(JSON.parse(readFileSync(file, "utf8")) as Profile, process.argv[callersAt + 1] ?? "writev", depthAt > 0 ? Number(process.argv[depthAt + 1]) : 12)) console.log(`${c.ms} ms  ${c.chain}`);
    process.exit(0);
  }
  const s = summarise(JSON.parse(readFileSync(file, "utf8")) as Profile, topAt > 0 ? Number(process.argv[topAt + 1]) : 25);
  console.log(`${s.totalMs} ms sampled\n\n| self time by package | ms | share |\n| --- | --- | --- |`);
  for (const p of s.packages) console.log(`| ${p.name} | ${p.ms} | ${p.share}% |`);
  console.log(`\n| self time by function | ms | share |\n| --- | --- | --- |`);
  for (const f of s.functions) console.log(`| ${f.name.replace(/\|/g, "\\|")} | ${f.ms} | ${f.share}% |`);
}
