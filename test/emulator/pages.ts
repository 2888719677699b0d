import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyShareToken } from './jwt';
import { settle, type BoardRecord } from './lifecycle';
import { proxy } from './proxy';
import type { Upstream } from './realBoards';
import type { Timings } from './types';
import type { World } from './world';

/**
 * The board proxy: what a browser (or a VS Code webview frame) gets at a board's TensorboardUrl
 * and at its shared link. An anonymous visitor is sent to a login page, never shown the board.
 * Behind the switches is the board's real TensorBoard (realBoards.ts), or a placeholder page when
 * there is none.
 */

/** The board's TensorBoard; undefined when there are no real ones (the placeholder page is shown). */
export type BoardBackend = (board: BoardRecord) => Upstream | undefined;

export interface PageSettings {
  origin: string;
  timings: Timings;
  shareSecret: string;
  tensorboardUrlNeedsLogin: boolean;
  frameLimits: boolean;
  shareCookie: boolean;
  boardPageDown: boolean;
}

const consoleCookie = 'emulator_console_session';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function cookies(request: IncomingMessage): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) found.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return found;
}

function shareCookieName(tensorboardId: string): string {
  return `pai_dlc_share_${tensorboardId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function htmlPage(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title></head>\n<body>\n${body}\n</body>\n</html>\n`;
}

export class BoardPages {
  /** Console sessions opened through the emulator's login page. */
  private readonly sessions = new Set<string>();

  constructor(
    private readonly world: () => World,
    private readonly now: () => number,
    private readonly settings: () => PageSettings,
    private readonly backend: BoardBackend,
  ) {}

  forgetSessions(): void {
    this.sessions.clear();
  }

  /** Whether the path is a board, share or login page, which `handle` answers. */
  static isPage(rawPath: string): boolean {
    return rawPath === '/login' || /^\/(tensorboard|share)\/[^/]+/.test(rawPath);
  }

  /** Answers a board, share or login page (see `isPage`); a board's own requests are streamed to its TensorBoard. */
  async handle(
    request: IncomingMessage,
    response: ServerResponse,
    rawPath: string,
    body: () => Promise<Buffer>,
  ): Promise<void> {
    const method = request.method ?? 'GET';
    const query = (request.url ?? '').slice(rawPath.length);
    if (rawPath === '/login') {
      if (method === 'POST') this.logIn(response, await body());
      else this.loginPage(request, response);
      return;
    }
    const board = /^\/tensorboard\/([^/]+)(\/.*)?$/.exec(rawPath);
    if (board) {
      this.tensorboardUrl(request, response, decodeURIComponent(board[1]), board[2], query);
      return;
    }
    const shared = /^\/share\/([^/]+)(?:\/token\/([^/]+))?(\/.*)?$/.exec(rawPath);
    if (shared) this.sharedLink(request, response, decodeURIComponent(shared[1]), shared[2], shared[3], query);
  }

  private frameHeaders(): Record<string, string> {
    return this.settings().frameLimits
      ? { 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" }
      : {};
  }

  private send(response: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
    if (response.destroyed) return;
    response.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...this.frameHeaders(),
      ...headers,
    });
    response.end(html);
  }

  private redirectToLogin(request: IncomingMessage, response: ServerResponse): void {
    const back = `${this.settings().origin}${request.url ?? '/'}`;
    response.writeHead(302, {
      location: `${this.settings().origin}/login?redirect=${encodeURIComponent(back)}`,
      'cache-control': 'no-store',
    });
    response.end();
  }

  /** A running board, or the page the proxy shows instead (404 unknown, 503 not running, 502 while its page is down). */
  private runningBoard(response: ServerResponse, tensorboardId: string): BoardRecord | undefined {
    const board = this.world().boards.get(tensorboardId);
    if (!board) {
      this.send(
        response,
        404,
        htmlPage('Not Found', `<h1>Not Found</h1>\n<p>No TensorBoard ${escapeHtml(tensorboardId)}.</p>`),
      );
      return undefined;
    }
    settle(board, this.now(), this.settings().timings);
    if (board.status !== 'Running') {
      // 5xx until the app is up: pai-python-sdk polls TensorboardUrl anonymously until it stops answering 5xx.
      this.send(
        response,
        503,
        htmlPage(
          '503 Service Unavailable',
          `<h1>503 Service Unavailable</h1>\n<p>TensorBoard ${escapeHtml(board.tensorboardId)} is ${board.status}.</p>`,
        ),
      );
      return undefined;
    }
    if (this.settings().boardPageDown) {
      this.send(
        response,
        502,
        htmlPage(
          '502 Bad Gateway',
          `<h1>502 Bad Gateway</h1>\n<p>TensorBoard ${escapeHtml(board.tensorboardId)} is not answering.</p>`,
        ),
      );
      return undefined;
    }
    return board;
  }

  /** The board's page or request `rest` (below its prefix, with `query`), as the visitor's `publicPrefix` names it. */
  private serveBoard(
    request: IncomingMessage,
    response: ServerResponse,
    board: BoardRecord,
    rest: string,
    query: string,
    publicPrefix: string,
  ): void {
    const upstream = this.backend(board);
    if (!upstream) {
      this.showBoard(response, board);
      return;
    }
    const id = escapeHtml(board.tensorboardId);
    if (upstream.state === 'starting') {
      this.send(
        response,
        503,
        htmlPage('503 Service Unavailable', `<h1>503 Service Unavailable</h1>\n<p>TensorBoard ${id} is starting.</p>`),
        { 'retry-after': '1' },
      );
      return;
    }
    if (upstream.state === 'failed') {
      this.send(
        response,
        502,
        htmlPage(
          '502 Bad Gateway',
          `<h1>502 Bad Gateway</h1>\n<p>TensorBoard ${id} is not answering.</p>\n<pre>${escapeHtml(upstream.reason)}</pre>`,
        ),
      );
      return;
    }
    const upstreamPrefix = `/tensorboard/${encodeURIComponent(board.tensorboardId)}`;
    const target = {
      port: upstream.port,
      path: `${upstreamPrefix}${rest}${query}`,
      upstreamPrefix,
      publicPrefix,
      addHeaders: this.frameHeaders(),
    };
    proxy(request, response, target, (error) =>
      this.send(
        response,
        502,
        htmlPage('502 Bad Gateway', `<h1>502 Bad Gateway</h1>\n<p>${escapeHtml(error.message)}</p>`),
      ),
    );
  }

  /** What the emulator shows where there is no real TensorBoard (see `realBoards` in its state for why). */
  private showBoard(response: ServerResponse, board: BoardRecord): void {
    const name = escapeHtml(board.displayName);
    const id = escapeHtml(board.tensorboardId);
    const body =
      `<main data-tensorboard-id="${id}">\n<h1>TensorBoard</h1>\n` +
      `<p>Display name: <span id="display-name">${name}</span></p>\n` +
      `<p>TensorBoard ID: <span id="tensorboard-id">${id}</span></p>\n` +
      `<p>Scalars, graphs and histograms would be here (PAI-DLC emulator).</p>\n</main>`;
    this.send(response, 200, htmlPage(`TensorBoard - ${name}`, body));
  }

  private tensorboardUrl(
    request: IncomingMessage,
    response: ServerResponse,
    tensorboardId: string,
    rest: string | undefined,
    query: string,
  ): void {
    if (rest === undefined) {
      this.slashRedirect(request, response);
      return;
    }
    const board = this.runningBoard(response, tensorboardId);
    if (!board) return;
    const session = cookies(request).get(consoleCookie);
    if (this.settings().tensorboardUrlNeedsLogin && !(session && this.sessions.has(session))) {
      this.redirectToLogin(request, response);
      return;
    }
    this.serveBoard(request, response, board, rest, query, `/tensorboard/${encodeURIComponent(tensorboardId)}`);
  }

  private sharedLink(
    request: IncomingMessage,
    response: ServerResponse,
    tensorboardId: string,
    token: string | undefined,
    rest: string | undefined,
    query: string,
  ): void {
    const board = this.runningBoard(response, tensorboardId);
    if (!board) return;
    const { shareSecret, shareCookie, origin } = this.settings();
    const valid = (candidate: string | undefined): boolean =>
      candidate !== undefined && verifyShareToken(candidate, shareSecret, tensorboardId, this.now()) !== undefined;

    const sharePrefix = `/share/${encodeURIComponent(tensorboardId)}`;
    if (token === undefined) {
      if (!(shareCookie && valid(cookies(request).get(shareCookieName(tensorboardId)))))
        this.redirectToLogin(request, response);
      else if (rest === undefined) this.slashRedirect(request, response);
      else this.serveBoard(request, response, board, rest, query, sharePrefix);
      return;
    }
    if (!valid(token)) {
      this.redirectToLogin(request, response);
      return;
    }
    if (shareCookie) {
      const path = `${sharePrefix}/`;
      // SameSite=Lax: a cross-site frame (a VS Code webview) will not send it back, as browsers do with third-party cookies.
      response.writeHead(302, {
        location: `${origin}${path}`,
        'set-cookie': `${shareCookieName(tensorboardId)}=${token}; Path=${path}; HttpOnly; SameSite=Lax`,
        'cache-control': 'no-store',
      });
      response.end();
      return;
    }
    if (rest === undefined) this.slashRedirect(request, response);
    else this.serveBoard(request, response, board, rest, query, `${sharePrefix}/token/${token}`);
  }

  /** Like a real reverse proxy, the board lives below a trailing slash. */
  private slashRedirect(request: IncomingMessage, response: ServerResponse): void {
    const url = request.url ?? '';
    const queryAt = url.indexOf('?');
    response.writeHead(301, { location: queryAt < 0 ? `${url}/` : `${url.slice(0, queryAt)}/${url.slice(queryAt)}` });
    response.end();
  }

  private loginPage(request: IncomingMessage, response: ServerResponse): void {
    const redirect = new URL(request.url ?? '/login', 'http://emulator').searchParams.get('redirect') ?? '';
    const body =
      `<h1>Alibaba Cloud sign-in (PAI-DLC emulator)</h1>\n<p>Sign in to the console to view this TensorBoard.</p>\n` +
      `<form method="post" action="/login">\n<input type="hidden" name="redirect" value="${escapeHtml(redirect)}">\n` +
      `<button type="submit" id="sign-in">Sign in</button>\n</form>`;
    this.send(response, 200, htmlPage('Sign in - Alibaba Cloud', body));
  }

  /** Opens a console session (a cookie) and goes back where the visitor came from, on this origin only. */
  private logIn(response: ServerResponse, body: Buffer): void {
    const session = randomBytes(16).toString('hex');
    this.sessions.add(session);
    const origin = this.settings().origin;
    const wanted = new URLSearchParams(body.toString('utf8')).get('redirect') ?? '';
    const location = wanted.startsWith(`${origin}/`) ? wanted : `${origin}/login`;
    response.writeHead(302, {
      location,
      'set-cookie': `${consoleCookie}=${session}; Path=/; HttpOnly; SameSite=Lax`,
      'cache-control': 'no-store',
    });
    response.end();
  }
}
