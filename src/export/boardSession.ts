import { CookieJar } from '../panel/cookieJar';

const MAX_REDIRECTS = 5;

/** The board answered, but not with what TensorBoard's data API answers. */
export class BoardDataError extends Error {}

/**
 * Reads a running board's data as its page would: from its shared link (a token in the URL), following redirects
 * within its origin and keeping the cookies it sets (a share session cookie), as the panel's probe and proxy do.
 */
export class BoardSession {
  private constructor(
    /** The board's page as reached after redirects, ending in `/`: TensorBoard's data paths are relative to it. */
    readonly base: string,
    private readonly jar: CookieJar,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Opens the board's page at `link`. */
  static async open(link: string, signal?: AbortSignal): Promise<BoardSession> {
    const jar = new CookieJar();
    const session = new BoardSession(link, jar, signal);
    const reached = await session.get(new URL(link), 'text/html');
    await reached.answer.body?.cancel();
    return new BoardSession(new URL('.', reached.url).toString(), jar, signal);
  }

  /** GETs `url` (on the board's origin) and parses its JSON answer. */
  async json(url: URL): Promise<unknown> {
    const { answer } = await this.get(url, 'application/json');
    const text = await answer.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new BoardDataError(`${url.pathname} did not answer JSON`);
    }
  }

  private async get(start: URL, accept: string): Promise<{ answer: Response; url: URL }> {
    let url = start;
    for (let hop = 0; ; hop++) {
      const cookie = this.jar.header(url.pathname + url.search);
      const answer = await fetch(url, {
        headers: { accept, ...(cookie ? { cookie } : {}) },
        redirect: 'manual',
        signal: this.signal,
      });
      this.jar.store(answer.headers.getSetCookie(), url.pathname);
      const location = answer.headers.get('location');
      if (answer.status >= 300 && answer.status < 400 && location && hop < MAX_REDIRECTS) {
        const next = new URL(location, url);
        await answer.body?.cancel();
        // Elsewhere is a login page, not the board: its access has ended.
        if (next.origin !== start.origin || next.pathname.endsWith('/login'))
          throw new BoardDataError('the board sent the request to a sign-in page: its link no longer opens it');
        url = next;
        continue;
      }
      if (!answer.ok) {
        await answer.body?.cancel();
        throw new BoardDataError(`${url.pathname} answered HTTP ${answer.status}`);
      }
      return { answer, url };
    }
  }
}
