import { isIP } from "node:net";

/**
 * The one rule for a request's client address, used by every limit, hold and IP fingerprint:
 * the address Express derives from the connection and X-Forwarded-For under TRUST_PROXY, with an
 * IPv4-mapped IPv6 address written as plain IPv4. Loopback is a client like any other.
 */
export function clientAddress(req: { ip?: string; socket: { remoteAddress?: string } }): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? "";
  return ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}
