/** How to make a good secret, quoted in every refusal. */
export const MAKE_A_SECRET = `node -e "console.log(require('crypto').randomBytes(48).toString('base64url'))"`;

/** Secrets that appear in this repository (defaults, examples, tests, the benchmark): public, so never secret. */
const KNOWN = new Set([
  "inkwell-development-secret-change-me",
  "change-me-to-a-long-random-string",
  "another-long-random-string",
  "a-long-random-token",
  "test-secret-test-secret-test-secret",
  "bench-secret-bench-secret-bench-secret",
]);

export const MIN_SECRET_LENGTH = 32;
/** Bits of entropy a secret must show, estimated from its character frequencies. */
const MIN_ESTIMATED_BITS = 100;

function estimatedBits(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let perChar = 0;
  for (const n of counts.values()) perChar -= (n / value.length) * Math.log2(n / value.length);
  return perChar * value.length;
}

/** Why a secret is unfit (known, short or predictable), or null when it is fit. */
export function secretWeakness(value: string): string | null {
  if (KNOWN.has(value) || /change-?me/i.test(value)) return "is a value published with Inkwell, so anyone can forge links with it";
  if (value.length < MIN_SECRET_LENGTH) return `is shorter than ${MIN_SECRET_LENGTH} characters`;
  if (estimatedBits(value) < MIN_ESTIMATED_BITS) return "is too predictable (too few different characters)";
  return null;
}
