import { errorMessage } from '../api/errors';
import type { Timeline } from '../base/timeline';
import { realTimer, type Timer } from '../boards/timer';
import type { PortForwarding } from '../net/forwardedUrl';
import { isFrameableUrl, safeHttpUrl } from '../net/safeUrl';
import { BoardProxy, type BoardProxyOptions } from './boardProxy';
import { withView, type BoardView } from './bridgeMessages';
import { chooseFraming, probeBoard, waitUntilAnswers, type FramingSetting, type ProbeResult } from './probe';

/** A shared link is renewed when this much of its lifetime is left, so a reload never frames an expired link. */
const RENEW_BEFORE_FRACTION = 0.1;

export type Framing = 'direct' | 'proxy';

/** What the panel shows of a running board. */
export type FrameResult =
  /** The URL to frame, as the webview reaches it: the board's own, or the loopback proxy's. */
  | {
      readonly kind: 'framed';
      readonly url: string;
      readonly framing: Framing;
      /** Framed as it is though the probe saw `X-Frame-Options` or `frame-ancestors` on its page: it may show blank. */
      readonly framingLimited?: true;
    }
  /** Its URL is not https (nor http on loopback): for the browser only. */
  | { readonly kind: 'notFrameable' }
  /** It runs, but its page did not answer while the frame waited. */
  | { readonly kind: 'notAnswering' }
  /** It refuses to be framed, and the proxy would share the workbench's origin in this window: browser only. */
  | { readonly kind: 'browserOnly' };

/** The settings read at each load. */
export interface FrameSettings {
  readonly sharedLinkLifetimeHours: number;
  readonly boardFraming: FramingSetting;
}

/** What the frame needs of the proxy, so a test can watch each one's lifetime. */
export type FrameProxy = Pick<BoardProxy, 'target' | 'entryUrl' | 'close'>;

export interface BoardFrameOptions {
  readonly tensorboardId: string;
  /** GetTensorboardSharedUrl: a link that opens the board without a console login for `lifetimeSeconds`. */
  readonly sharedUrl: (lifetimeSeconds: number) => Promise<string>;
  readonly settings: () => FrameSettings;
  /** Where the webview reaches a URL on the extension host's loopback (in a remote window, its port forwarding). */
  readonly webviewUrl: (url: string) => Promise<string>;
  /** How the window forwards loopback ports; undefined when each port has an origin of its own (desktop). */
  readonly portForwarding?: () => Promise<PortForwarding | undefined>;
  /** The shared link nears its expiry: the panel loads the board again. */
  readonly onRenew: () => void;
  readonly log: { info(line: string): void; warn(line: string): void };
  readonly timer?: Timer;
  readonly probe?: (url: string) => Promise<ProbeResult>;
  readonly startProxy?: (options: BoardProxyOptions) => Promise<FrameProxy>;
  /** The bridge's script for the proxy to serve and add to the board's pages (media/bridge.js, configured). */
  readonly bridgeScript?: () => string;
  /** The view the user left the board in: the proxied frame opens there. */
  readonly savedView?: () => Pick<BoardView, 'search' | 'hash'> | undefined;
  /** Where the probe's answer and the frame URL's choice are marked, for the bench's split (#23). */
  readonly timeline?: Timeline;
}

/**
 * How a panel reaches its running board: a fresh shared link (renewed before it expires), the board's page probed
 * until it answers, then framed as it is or through a loopback proxy that the frame starts, replaces and closes.
 * A newer load, `clear()` or `dispose()` makes an older load resolve to undefined, closing whatever it started.
 */
export class BoardFrame {
  private readonly timer: Timer;
  private loads = 0;
  private disposed = false;
  private renewal: unknown;
  private proxy: FrameProxy | undefined;
  private shared: string | undefined;
  private current: Framing | undefined;

  constructor(private readonly options: BoardFrameOptions) {
    this.timer = options.timer ?? realTimer;
  }

  /** The board's own URL the last load reached (its shared link, else its TensorboardUrl): what a browser opens. */
  get link(): string | undefined {
    return this.shared;
  }

  /** How the frame reaches the board now: straight, or through the loopback proxy. */
  get framing(): Framing | undefined {
    return this.current;
  }

  /**
   * Reaches the running `board`: `onWaiting` is called once if its page does not answer at first, with the URL the
   * frame will get if the board allows framing as it is (undefined when the proxy or the browser will show it), so
   * the panel can have that frame's page ready before the app answers. Resolves to undefined when a newer load,
   * `clear()` or `dispose()` came first. Rejects when the proxy cannot be started.
   */
  async load(
    board: { readonly url?: string },
    onWaiting?: (likelyUrl: string | undefined) => void,
  ): Promise<FrameResult | undefined> {
    const stale = this.begin();
    const settings = this.options.settings();
    const link = await this.sharedLink(board, settings.sharedLinkLifetimeHours * 3600, stale);
    if (stale()) return undefined;
    const url = (this.shared = link && safeHttpUrl(link));
    if (!url || !isFrameableUrl(url)) return { kind: 'notFrameable' };
    // Asked before the probe, so that nothing but the frame's own choice is left once the app answers (#23).
    const forwarding = await this.options.portForwarding?.();
    if (stale()) return undefined;
    const choose = (probe: Pick<ProbeResult, 'framingLimited' | 'needsCookie'>) =>
      bridged(chooseFraming(settings.boardFraming, probe, forwarding), () =>
        // Wherever the window gives each port an origin of its own (desktop, a proxy domain), `auto` brings the
        // bridge; where the proxy would share the workbench's origin, chooseFraming keeps the board framed as it is.
        settings.boardFraming === 'auto' && this.options.bridgeScript
          ? chooseFraming('proxy', probe, forwarding)
          : undefined,
      );
    const likely = choose({ framingLimited: false, needsCookie: false });
    const probe = await this.whenAnswering(url, stale, () =>
      onWaiting?.(likely.framing === 'direct' ? url : undefined),
    );
    if (stale()) return undefined;
    if (probe.ready) this.options.timeline?.mark(this.options.tensorboardId, 'probeAnswered');
    if (!probe.ready) {
      this.options.log.warn(
        `TensorBoard ${this.options.tensorboardId} runs but its page does not answer: ${probe.problem ?? 'no answer'}`,
      );
      return { kind: 'notAnswering' };
    }
    const { framing, reason } = choose(probe);
    if (framing === 'browser') {
      this.current = undefined;
      await this.closeProxy();
      this.options.log.warn(`Not showing ${this.options.tensorboardId} in the editor: ${reason}`);
      return { kind: 'browserOnly' };
    }
    const frameUrl =
      framing === 'direct' ? await this.direct(url, reason) : await this.throughProxy(url, reason, stale);
    if (frameUrl === undefined || stale()) return undefined;
    this.options.timeline?.mark(this.options.tensorboardId, 'frameUrl');
    this.current = framing;
    return {
      kind: 'framed',
      url: frameUrl,
      framing,
      ...(framing === 'direct' && probe.framingLimited ? { framingLimited: true } : {}),
    };
  }

  /** Nothing is framed any more (the board stopped, was deleted, or the user signed out): no link, renewal or proxy. */
  async clear(): Promise<void> {
    this.begin();
    this.shared = undefined;
    this.current = undefined;
    await this.closeProxy();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.clear();
  }

  /** A new load: older ones are stale from now on, and the renewal they scheduled is cancelled. */
  private begin(): () => boolean {
    this.timer.clearTimeout(this.renewal);
    this.renewal = undefined;
    const load = ++this.loads;
    return () => this.disposed || load !== this.loads;
  }

  private async sharedLink(
    board: { readonly url?: string },
    lifetimeSeconds: number,
    stale: () => boolean,
  ): Promise<string | undefined> {
    let link: string;
    try {
      link = await this.options.sharedUrl(lifetimeSeconds);
    } catch (error) {
      this.options.log.warn(
        `No shared link for ${this.options.tensorboardId}, framing its TensorboardUrl: ${errorMessage(error)}`,
      );
      return board.url || undefined;
    }
    if (!stale())
      this.renewal = this.timer.setTimeout(
        () => this.options.onRenew(),
        lifetimeSeconds * 1000 * (1 - RENEW_BEFORE_FRACTION),
      );
    return link;
  }

  /**
   * Once PAI-DLC says Running, its board's app may still be starting: probe the page (from the extension host,
   * which sees the headers a frame cannot) until it answers.
   */
  private whenAnswering(url: string, stale: () => boolean, onWaiting: (() => void) | undefined): Promise<ProbeResult> {
    const probe = this.options.probe ?? ((target: string) => probeBoard(target));
    let told = false;
    return waitUntilAnswers(url, {
      timer: this.timer,
      isCancelled: stale,
      probe: async (target) => {
        const result = await probe(target);
        if (!result.ready && !told && !stale()) {
          told = true;
          onWaiting?.();
        }
        return result;
      },
    });
  }

  private async direct(url: string, reason: string): Promise<string> {
    if (this.current !== 'direct') this.options.log.info(`Showing ${this.options.tensorboardId} as it is: ${reason}`);
    await this.closeProxy();
    return url;
  }

  /** The loopback proxy's URL as the webview reaches it: the one already running for `target`, else a new one. */
  private async throughProxy(target: string, reason: string, stale: () => boolean): Promise<string | undefined> {
    if (this.proxy?.target !== target) {
      const start = this.options.startProxy ?? ((options: BoardProxyOptions) => BoardProxy.start(options));
      const bridgeScript = this.options.bridgeScript;
      const started = await start({
        target,
        log: (line) => this.options.log.warn(line),
        ...(bridgeScript ? { bridgeScript } : {}),
      });
      if (stale()) {
        // A newer load (or the panel's end) came while it started: it never serves anyone.
        await started.close();
        return undefined;
      }
      const replaced = this.proxy;
      this.proxy = started;
      this.options.log.info(`Showing ${this.options.tensorboardId} through a loopback proxy: ${reason}`);
      await replaced?.close();
    }
    // In a remote window (code-server, Remote-SSH, PAI-DSW) the frame reaches the extension host's loopback through
    // the window's port forwarding.
    return this.proxy && this.options.webviewUrl(withView(this.proxy.entryUrl, this.options.savedView?.()));
  }

  private async closeProxy(): Promise<void> {
    const proxy = this.proxy;
    this.proxy = undefined;
    await proxy?.close();
  }
}

/**
 * Where each forwarded port has an origin of its own (desktop, a proxy domain), a board that allows framing is still
 * shown through the proxy: only there does the bridge carry its downloads, links, shortcuts and view.
 */
function bridged(
  chosen: ReturnType<typeof chooseFraming>,
  throughProxy: () => ReturnType<typeof chooseFraming> | undefined,
): ReturnType<typeof chooseFraming> {
  if (chosen.framing !== 'direct' || chosen.reason !== 'it allows framing') return chosen;
  const proxied = throughProxy();
  return proxied?.framing === 'proxy'
    ? { framing: 'proxy', reason: 'it allows framing, and the proxy carries the bridge (downloads, links, keys, view)' }
    : chosen;
}
