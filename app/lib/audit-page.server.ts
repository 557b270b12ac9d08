const PAGE = 50;

/** One page of audit entries, paged by id (`?before=<id>`), with the link to the next older page. */
export async function auditPage<T extends { id: string | number }>(request: Request, path: string, list: (before: number | undefined, limit: number) => Promise<T[]>) {
  const raw = new URL(request.url).searchParams.get("before");
  const n = raw === null ? NaN : Number(raw);
  const before = Number.isSafeInteger(n) && n > 0 ? n : undefined;
  const rows = await list(before, PAGE + 1);
  const page = rows.slice(0, PAGE);
  const older = rows.length > PAGE ? page[page.length - 1]!.id : null;
  return { rows: page.map((r) => ({ ...r, id: String(r.id) })), olderHref: older === null ? null : `${path}?before=${older}` };
}
