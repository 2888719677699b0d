import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { realTimer, type Timer } from '../boards/timer';
import { sharedOrigin, type PortForwarding } from '../net/forwardedUrl';
import { CookieJar } from './cookieJar';

/** What the board's own page says about being shown in a frame: read in the extension host, where headers are visible. */
export interface ProbeResult {
  /** The app answers: not a 5xx, not unreachable. */
  readonly ready: boolean;
  readonly status?: number;
  /** `X-Frame-Options`, or a `frame-ancestors` that does not allow everyone, on the page the frame would show. */
  readonly framingLimited: boolean;
  /** The board set a cookie on the way: a cross-site frame would not send it back. */
  readonly needsCookie: boolean;
  /** Why it is not ready, for the log. */
  readonly problem?: string;
}

export type FramingSetting = 'auto' | 'direct' | 'proxy';

const MAX_REDIRECTS = 5;

/**
 * GETs the board's URL as a frame would, following redirects within its origin, and reads the headers only. One
 * deadline covers the whole probe, every hop and header included, so a board that drips its answer cannot hold it.
 */
export async function probeBoard(
  url: string,
  options: { timeoutMs?: number; timer?: Timer } = {},
): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const timer = options.timer ?? realTimer;
  const abort = new AbortController();
  const deadline = timer.setTimeout(() => abort.abort(), timeoutMs);
  try {
    return await probeHops(new URL(url), abort.signal, timeoutMs);
  } finally {
    timer.clearTimeout(deadline);
  }
}

async function probeHops(start: URL, signal: AbortSignal, timeoutMs: number): Promise<ProbeResult> {
  const jar = new CookieJar();
  let current = start;
  let needsCookie = false;
  for (let hop = 0; ; hop++) {
    let answer: Answer;
    try {
      answer = await head(current, jar.header(current.pathname + current.search), signal);
    } catch (error) {
      const problem = signal.aborted
        ? `no answer within ${timeoutMs} ms`
        : error instanceof Error
          ? error.message
          : String(error);
      return { ready: false, framingLimited: false, needsCookie, problem };
    }
    const status = answer.statusCode ?? 0;
    if (answer.headers['set-cookie']) {
      needsCookie = true;
      jar.store(answer.headers['set-cookie'], current.pathname);
    }
    const framing = framingLimited(answer.headersDistinct);
    const location = answer.headers.location;
    if (status >= 300 && status < 400 && location && hop < MAX_REDIRECTS) {
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        return { ready: false, status, framingLimited: framing, needsCookie, problem: 'a redirect to an invalid URL' };
      }
      if (next.origin === current.origin) {
        current = next;
        continue;
      }
    }
    return {
      ready: status > 0 && status < 500,
      status,
      framingLimited: framing,
      needsCookie,
      problem: status >= 500 ? `HTTP ${status}` : undefined,
    };
  }
}

/** How the panel shows a running board, and why (for the log). */
export interface FramingChoice {
  /** `browser`: not in the panel at all, only through Open in Browser. */
  readonly framing: 'direct' | 'proxy' | 'browser';
  readonly reason: string;
}

/**
 * Direct framing unless the setting or the board's answer calls for the proxy. The proxy serves the board from the
 * address the window forwards its port to: where that origin is shared with the workbench (code-server's
 * `/proxy/<port>/`), the board's scripts would run as the workbench's, so the proxy is never used there; the board
 * is then framed as it is when it allows that, else shown in the browser only. `forwarding` undefined: every port
 * has an origin of its own (desktop VS Code).
 */
export function chooseFraming(
  setting: FramingSetting,
  probe: Pick<ProbeResult, 'framingLimited' | 'needsCookie'>,
  forwarding: PortForwarding | undefined,
): FramingChoice {
  if (setting === 'direct') return { framing: 'direct', reason: 'the framing setting asks for it' };
  const needs = [probe.framingLimited && 'it refuses to be framed', probe.needsCookie && 'it needs a cookie'];
  const why = needs.filter(Boolean).join(', ');
  if (setting === 'auto' && !why) return { framing: 'direct', reason: 'it allows framing' };
  const shared = forwarding && sharedOrigin(forwarding);
  const wanted = why || 'the framing setting asks for the proxy';
  if (!shared) return { framing: 'proxy', reason: wanted };
  const unsafe = `${wanted}, but the proxy would share the workbench's origin: ${shared}`;
  return probe.framingLimited ? { framing: 'browser', reason: unsafe } : { framing: 'direct', reason: unsafe };
}

/** Whether any of the answer's headers (each repeat apart, as `headersDistinct` gives them) limits framing. */
export function framingLimited(headers: IncomingMessage['headersDistinct']): boolean {
  if (headers['x-frame-options']?.length) return true;
  return (headers['content-security-policy'] ?? []).some((policy) =>
    policy.split(';').some((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return name?.toLowerCase() === 'frame-ancestors' && !sources.includes('*');
    }),
  );
}

export interface ReadinessOptions {
  readonly probe?: (url: string) => Promise<ProbeResult>;
  readonly timer?: Timer;
  /** The time from probe `n`'s start to probe `n + 1`'s (n counts from 1), or one for all. */
  readonly intervalMs?: number | ((n: number) => number);
  /** Probes at most this many times (then resolves with the last, not ready). */
  readonly maxProbes?: number;
  /** A probe that has not settled after this long counts as not answering, whatever probe was given. */
  readonly probeDeadlineMs?: number;
  readonly isCancelled?: () => boolean;
}

/**
 * Probes until the board's app answers: once PAI-DLC says Running, its proxy may still answer 5xx while the app
 * starts (pai-python-sdk waits for the same). Resolves with the first ready probe, or the last one.
 */
export async function waitUntilAnswers(url: string, options: ReadinessOptions = {}): Promise<ProbeResult> {
  const timer = options.timer ?? realTimer;
  const given = options.probe ?? ((u: string) => probeBoard(u, { timer }));
  const probe = (u: string) => withDeadline(given(u), timer, options.probeDeadlineMs ?? PROBE_DEADLINE_MS);
  const intervalMs = options.intervalMs ?? panelProbeInterval;
  const maxProbes = options.maxProbes ?? 210;
  for (let n = 1; ; n++) {
    // The interval runs from this probe's start, so a slow answer does not stretch it: the app is found on average
    // half an interval after it answers, and probes still start at most once an interval, one at a time.
    let handle: unknown;
    const spaced =
      n < maxProbes
        ? new Promise<void>((resolve) => {
            handle = timer.setTimeout(resolve, typeof intervalMs === 'number' ? intervalMs : intervalMs(n));
          })
        : undefined;
    const last = await probe(url);
    if (last.ready || !spaced || options.isCancelled?.()) {
      if (spaced) timer.clearTimeout(handle);
      return last;
    }
    await spaced;
    if (options.isCancelled?.()) return last;
  }
}

/**
 * The panel's probes while a running board's app starts: every 250 ms for 30 s, then every second; with the default
 * 210 probes, two minutes in all. At most 4 a second, like the wait's page watch (issue #23's budget for the board's
 * proxy): the two never run at once, since the panel probes once the wait has seen the board running.
 */
const panelProbeInterval = (n: number) => (n < 120 ? 250 : 1_000);

/** Above the probe's own deadline: this one bounds a probe that has none. */
export const PROBE_DEADLINE_MS = 10_000;

function withDeadline(probe: Promise<ProbeResult>, timer: Timer, ms: number): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const deadline = timer.setTimeout(
      () => resolve({ ready: false, framingLimited: false, needsCookie: false, problem: `no answer within ${ms} ms` }),
      ms,
    );
    probe.then(resolve, reject).finally(() => timer.clearTimeout(deadline));
  });
}

type Answer = Pick<IncomingMessage, 'statusCode' | 'headers' | 'headersDistinct'>;

function head(url: URL, cookie: string | undefined, signal: AbortSignal): Promise<Answer> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      { method: 'GET', headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) }, signal },
      (answer) => {
        resolve({ statusCode: answer.statusCode, headers: answer.headers, headersDistinct: answer.headersDistinct });
        answer.destroy();
      },
    );
    request.on('error', reject);
    request.end();
  });
}
