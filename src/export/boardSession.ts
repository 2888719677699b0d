import { realTimer, type Timer } from '../boards/timer';
import { CookieJar } from '../panel/cookieJar';

const MAX_REDIRECTS = 5;

/** How long one whole request may take, redirects, headers and body included, before the export gives up. */
export const REQUEST_DEADLINE_MS = 30_000;

/** The board answered, but not with what TensorBoard's data API answers. */
export class BoardDataError extends Error {}

/** The board did not give its whole answer in time: it may be busy or stalled, and trying again may help. */
export class BoardTimeoutError extends BoardDataError {
  constructor(
    /** The request, as `named` gives it: no token. */
    readonly path: string,
    readonly deadlineMs: number,
  ) {
    super(`${path} gave no full answer within ${Math.round(deadlineMs / 1000)} s`);
  }
}

export interface BoardSessionOptions {
  /** Aborts every request of the session (a cancel of the whole export). */
  readonly signal?: AbortSignal;
  readonly timer?: Timer;
  /** The bound on each whole request (every hop, the headers and the body). */
  readonly deadlineMs?: number;
}

/**
 * Reads a running board's data as its page would: from its shared link (a token in the URL), following redirects
 * within its origin and keeping the cookies it sets (a share session cookie), as the panel's probe and proxy do.
 * Each request has a deadline of its own, so a board that sends its headers and then stalls cannot hold the export.
 */
export class BoardSession {
  private constructor(
    /** The board's page as reached after redirects, ending in `/`: TensorBoard's data paths are relative to it. */
    readonly base: string,
    private readonly jar: CookieJar,
    private readonly options: BoardSessionOptions,
  ) {}

  /** Opens the board's page at `link`. */
  static async open(link: string, options: BoardSessionOptions = {}): Promise<BoardSession> {
    const jar = new CookieJar();
    const session = new BoardSession(link, jar, options);
    const reached = await session.request(new URL(link), 'text/html', undefined, async (answer) => {
      await answer.body?.cancel();
    });
    return new BoardSession(new URL('.', reached.url).toString(), jar, options);
  }

  /** GETs `url` (on the board's origin) and parses its JSON answer; `signal` aborts this request alone. */
  async json(url: URL, signal?: AbortSignal): Promise<unknown> {
    const { value: text } = await this.request(url, 'application/json', signal, (answer) => answer.text());
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new BoardDataError(`${this.named(url)} did not answer JSON`);
    }
  }

  /** One whole request, its body read by `read`, under one deadline and the session's and caller's signals. */
  private async request<T>(
    start: URL,
    accept: string,
    signal: AbortSignal | undefined,
    read: (answer: Response) => Promise<T>,
  ): Promise<{ value: T; url: URL }> {
    const timer = this.options.timer ?? realTimer;
    const deadlineMs = this.options.deadlineMs ?? REQUEST_DEADLINE_MS;
    const deadline = new AbortController();
    const handle = timer.setTimeout(() => deadline.abort(), deadlineMs);
    const signals = [deadline.signal, this.options.signal, signal].filter((s): s is AbortSignal => !!s);
    try {
      const url = await this.follow(start, accept, AbortSignal.any(signals));
      return { value: await read(url.answer), url: url.url };
    } catch (error) {
      // The user's cancel wins over the deadline: it is no failure.
      if (deadline.signal.aborted && !this.options.signal?.aborted && !signal?.aborted)
        throw new BoardTimeoutError(this.named(start), deadlineMs);
      throw error;
    } finally {
      timer.clearTimeout(handle);
    }
  }

  /**
   * A request's URL for a message or the log: its path below the board's page (`data/runs`), never the page's own
   * path, which holds the shared link's token, nor the query.
   */
  private named(url: URL): string {
    const page = new URL(this.base).pathname;
    const below = url.pathname.startsWith(page) ? url.pathname.slice(page.length) : '';
    return below || "the board's page";
  }

  private async follow(start: URL, accept: string, signal: AbortSignal): Promise<{ answer: Response; url: URL }> {
    let url = start;
    for (let hop = 0; ; hop++) {
      const cookie = this.jar.header(url.pathname + url.search);
      const answer = await fetch(url, {
        headers: { accept, ...(cookie ? { cookie } : {}) },
        redirect: 'manual',
        signal,
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
        throw new BoardDataError(`${this.named(url)} answered HTTP ${answer.status}`);
      }
      return { answer, url };
    }
  }
}
