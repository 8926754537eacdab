/**
 * A POST made by another site's page (a forged form) is refused even with a valid CSRF value. Sec-Fetch-Site, set by
 * the browser and not by any page, decides when present. Without it (an older browser), an Origin naming another
 * host is refused; `Origin: null` is what browsers send from our own form under `Referrer-Policy: no-referrer`, so
 * it, like a client sending neither header (curl), is judged on the CSRF value alone.
 */
export function crossSite(
  headers: Record<string, string | undefined>,
  domainName: string | undefined,
): boolean {
  const site = headers['sec-fetch-site']?.toLowerCase();
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = headers['origin'];
  if (origin === undefined || origin === 'null') return false;
  // The Host the browser asked for (with its port, locally); API Gateway's domain name when it is absent.
  const own = (headers['host'] ?? domainName)?.toLowerCase();
  try {
    return !own || new URL(origin).host.toLowerCase() !== own;
  } catch {
    return true;
  }
}
