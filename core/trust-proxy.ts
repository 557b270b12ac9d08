import { isIP } from "node:net";

const NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

function validEntry(entry: string): boolean {
  if (NAMES.has(entry)) return true;
  const [address, bits, extra] = entry.split("/");
  if (extra !== undefined || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^[0-9]{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * The Express `trust proxy` value for a TRUST_PROXY setting: `false` or `0` (nothing forwards),
 * a hop count, or a comma-separated list of `loopback`, `linklocal`, `uniquelocal`, IPs and
 * CIDRs. Anything else (including `true`, which would believe any X-Forwarded-For) comes back as
 * "!reason".
 */
export function trustProxySetting(raw: string): string | number | false {
  const value = raw.trim().toLowerCase();
  if (value === "false" || value === "0") return false;
  if (/^[0-9]+$/.test(value)) {
    const hops = Number(value);
    return hops <= 10 ? hops : "!a hop count must be 10 or fewer";
  }
  if (value === "true") return "!`true` would believe any client's X-Forwarded-For; give the number of proxies in front (e.g. 1) or their addresses";
  const entries = value.split(",").map((e) => e.trim());
  const bad = entries.find((e) => !validEntry(e));
  if (bad !== undefined) return `!"${bad}" is not false, 0, a hop count, loopback, linklocal, uniquelocal, an IP address or a CIDR range`;
  return entries.join(",");
}
