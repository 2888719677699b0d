import { parse as parseSetCookie } from 'set-cookie-parser';

interface StoredCookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
  readonly expiresAt?: number;
}

/**
 * The cookies of one board's origin, kept in the extension host so the board works in a frame that the browser
 * would not send them from (a cross-site webview frame drops SameSite cookies). Parsing is set-cookie-parser's; only
 * the storing and path matching are here, since the jar serves a single origin (so the Domain attribute is moot).
 */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Stores the cookies of one answer, received for a request to `requestPath`. */
  store(setCookie: string | readonly string[] | undefined, requestPath: string): void {
    if (!setCookie) return;
    for (const cookie of parseSetCookie(setCookie, { decodeValues: false, silent: true })) {
      const path = cookie.path?.startsWith('/') ? cookie.path : defaultPath(requestPath);
      const key = `${cookie.name}\0${path}`;
      // An Expires that does not parse is ignored (RFC 6265 §5.2.1): the cookie lasts the session.
      const expires = cookie.expires?.getTime();
      const expiresAt =
        cookie.maxAge !== undefined
          ? this.now() + cookie.maxAge * 1000
          : Number.isFinite(expires)
            ? expires
            : undefined;
      if (expiresAt !== undefined && expiresAt <= this.now()) this.cookies.delete(key);
      else this.cookies.set(key, { name: cookie.name, value: cookie.value, path, expiresAt });
    }
  }

  /** The `Cookie` header for a request to `requestPath`, or undefined when no cookie applies. */
  header(requestPath: string): string | undefined {
    const now = this.now();
    const matching = [...this.cookies.values()]
      .filter((c) => (c.expiresAt === undefined || c.expiresAt > now) && pathMatches(requestPath, c.path))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  get size(): number {
    return this.cookies.size;
  }

  clear(): void {
    this.cookies.clear();
  }
}

/** RFC 6265 §5.1.4: the directory of the request path. */
function defaultPath(requestPath: string): string {
  const path = requestPath.split('?')[0] ?? '/';
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  const path = requestPath.split('?')[0] ?? '/';
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}
