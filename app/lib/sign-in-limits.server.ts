import { consume, enforceLimit, refund, tooManyRequests, type LimitKind } from "./rate-limit.server";

/**
 * Runs a workspace credential check under the sign-in limits and returns its result.
 *
 * Only failures count against an address: per address and IP (slows one guesser), per address
 * from everywhere (a larger backstop against many IPs) and across the site (against spraying
 * many addresses). A stranger's failures from their IP use up their own allowance, not the
 * owner's, so they cannot lock the owner out. Every attempt also counts per IP. Each allowance
 * is taken before the check and given back when it succeeds, so concurrent guesses cannot slip past.
 */
export async function limitedSignIn<T>(request: Request, clientIp: string, email: string, check: () => Promise<T | null>): Promise<T | null> {
  await enforceLimit(request, "signin-ip", clientIp);
  const address = email.trim().toLowerCase();
  const limits: [LimitKind, string][] = [
    ["signin-failure", `${address}\0${clientIp}`],
    ["signin-email", address],
    ["signin-site", "*"],
  ];
  const taken: [LimitKind, string][] = [];
  const giveBack = () => Promise.all(taken.map(([kind, key]) => refund(kind, key)));
  for (const [kind, key] of limits) {
    const result = await consume(kind, key);
    if (!result.ok) {
      await giveBack();
      throw tooManyRequests(request, result.retryAfterSeconds);
    }
    taken.push([kind, key]);
  }
  const found = await check();
  if (found) await giveBack();
  return found;
}
