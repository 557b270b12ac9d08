/** The Prometheus text a platform's web process serves on /metrics (tests reach it over loopback). */
export async function scrape(baseUrl: string): Promise<string> {
  return (await fetch(`${baseUrl}/metrics`)).text();
}

/** The value of one series in a Prometheus text exposition (0 when absent). */
export function metric(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
