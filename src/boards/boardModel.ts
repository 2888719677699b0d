import type { ListTensorboardsQuery, Tensorboard } from '../api';
import { isNotFound } from '../api/errors';
import { BoardPoller, type Following, type WaitOptions, type WaitResult, type WatchReason } from './boardPoller';
import type { Timer } from './timer';
import type { Timeline } from '../base/timeline';
import { Emitter, type Disposable } from './emitter';

/** The two calls the model makes; DlcClient has them. */
export interface BoardsApi {
  listTensorboards(query: ListTensorboardsQuery): Promise<{ tensorboards: Tensorboard[]; totalCount: number }>;
  getTensorboard(id: string, options: { workspaceId?: string }): Promise<Tensorboard>;
}

/** Where the boards are listed from; undefined while signed out or before a workspace is chosen. */
export interface BoardScope {
  readonly api: BoardsApi;
  readonly workspaceId: string;
  /** How far back the list looks (the API's own default is 7 days). */
  readonly windowDays: number;
}

/** What a board was created from, which the service does not echo back (GetTensorboard has no `Uri`). */
export interface CreatedSource {
  readonly uri: string;
  readonly dataSourceType?: string;
  readonly summaryRelativePath?: string;
}

/** Keeps created sources across window reloads; the extension backs it with its global state. */
export interface SourceMemory {
  get(tensorboardId: string): CreatedSource | undefined;
  set(tensorboardId: string, source: CreatedSource): void;
}

export type ListState = 'idle' | 'loading' | 'loaded' | 'failed' | 'unavailable';

export interface BoardsChange {
  /** The list as a whole changed: its state, paging or membership. */
  readonly list: boolean;
  /** Boards whose state is new (added or changed). */
  readonly changed: ReadonlySet<string>;
  /** Boards the service no longer has (deleted). */
  readonly removed: ReadonlySet<string>;
}

export interface BoardModelOptions {
  readonly scope: () => Promise<BoardScope | undefined>;
  readonly now?: () => number;
  readonly timer?: Timer;
  readonly pageSize?: number;
  readonly sources?: SourceMemory;
  readonly onListenerError?: (error: unknown) => void;
  /** Whether a board's page answers; the composition root probes it (see BoardPollerOptions). */
  readonly pageAnswers?: (url: string) => Promise<boolean>;
  /** Where an awaited board's steps are marked (see BoardPollerOptions). */
  readonly timeline?: Timeline;
}

const noSources: SourceMemory = { get: () => undefined, set: () => undefined };

/** A board as a create's answer implies it (the service answers only its ID): every text the service would send, empty. */
export function newBoard(
  tensorboardId: string,
  fields: Partial<Tensorboard> & Pick<Tensorboard, 'displayName' | 'gmtCreateTime'>,
): Tensorboard {
  return {
    tensorboardId,
    status: 'Creating',
    url: '',
    jobId: '',
    summaryPath: '',
    summaryRelativePath: '',
    dataSourceId: '',
    dataSourceType: '',
    workspaceId: '',
    accessibility: '',
    priority: '',
    durationSeconds: 0,
    gmtModifyTime: fields.gmtCreateTime,
    reasonCode: '',
    reasonMessage: '',
    userId: '',
    username: '',
    quotaId: '',
    quotaName: '',
    tensorboardDataSources: [],
    ...fields,
  };
}

/**
 * The one store of boards: it lists them (newest first, a page at a time, over a look-back window), polls the
 * ones someone looks at or waits on (through its BoardPoller, the one owner of polling), reloads one after an action,
 * and tells every view what changed. Boards are kept by ID, and every answer carries the sequence number of its
 * request: an answer older than what a board's state already comes from is dropped, so no interleaving of answers
 * loses, duplicates or resurrects one.
 */
export class BoardModel implements Disposable {
  private readonly known = new Map<string, Tensorboard>();
  /** The IDs the sidebar lists; `known` also holds boards followed from outside the list (an old board's panel). */
  private readonly listed = new Set<string>();
  /** Per board, the sequence number of the request its current state (or its removal) comes from. */
  private readonly stateSeq = new Map<string, number>();
  private readonly removedSeq = new Map<string, number>();
  /** When each board's current state was fetched: its running time has grown since by the time passed. */
  private readonly fetched = new Map<string, number>();
  private seq = 0;
  private generation = 0;
  private totalCount = 0;
  private pagesLoaded = 0;
  private listState: ListState = 'idle';
  private listError: unknown;
  private loading: Promise<void> | undefined;
  private sortedCache: Tensorboard[] | undefined;
  private readonly poller: BoardPoller;
  private readonly changes: Emitter<BoardsChange>;
  readonly onDidChange;
  private readonly now: () => number;
  private readonly pageSize: number;
  private readonly sources: SourceMemory;

  constructor(private readonly options: BoardModelOptions) {
    this.now = options.now ?? Date.now;
    this.pageSize = options.pageSize ?? 50;
    this.sources = options.sources ?? noSources;
    this.changes = new Emitter<BoardsChange>(options.onListenerError);
    this.onDidChange = this.changes.event;
    this.poller = new BoardPoller({
      reload: (id) => this.reload(id),
      current: (id) => this.known.get(id),
      known: () => this.known.keys(),
      isListed: (id) => this.listed.has(id),
      pageAnswers: options.pageAnswers,
      timeline: options.timeline,
      timer: options.timer,
      now: this.now,
    });
  }

  get state(): ListState {
    return this.listState;
  }

  /** Why the last list failed, while `state` is `failed`. */
  get error(): unknown {
    return this.listError;
  }

  /** The listed boards, newest first. */
  get boards(): readonly Tensorboard[] {
    this.sortedCache ??= [...this.listed]
      .map((id) => this.known.get(id)!)
      .sort((a, b) =>
        a.gmtCreateTime === b.gmtCreateTime
          ? a.tensorboardId.localeCompare(b.tensorboardId)
          : a.gmtCreateTime < b.gmtCreateTime
            ? 1
            : -1,
      );
    return this.sortedCache;
  }

  /** How many boards the service has in the window, as far as the model knows. */
  get total(): number {
    return Math.max(this.totalCount, this.listed.size);
  }

  get hasMore(): boolean {
    return this.listed.size < this.totalCount;
  }

  get(tensorboardId: string): Tensorboard | undefined {
    return this.known.get(tensorboardId);
  }

  /** When the board's current state was fetched (the model's clock), so a view can count its running time on. */
  fetchedAt(tensorboardId: string): number | undefined {
    return this.known.has(tensorboardId) ? this.fetched.get(tensorboardId) : undefined;
  }

  /** Whether the service said this board is gone (deleted), as far as this model has seen. */
  isRemoved(tensorboardId: string): boolean {
    return this.removedSeq.has(tensorboardId) && !this.known.has(tensorboardId);
  }

  /** Loads the first page unless it is loaded, loading, or has failed (then `refresh` retries). */
  ensureLoaded(): Promise<void> {
    if (this.loading) return this.loading;
    if (this.listState === 'idle') return this.refresh();
    return Promise.resolve();
  }

  /** Lists the first page again; boards created elsewhere appear, boards beyond it leave the list. */
  refresh(): Promise<void> {
    const generation = ++this.generation;
    if (this.listState !== 'loading') {
      this.listState = 'loading';
      this.emit({ list: true });
    }
    const loading = this.loadFirstPage(generation).finally(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    this.loading = loading;
    return loading;
  }

  /** The next page of the list. */
  async loadMore(): Promise<void> {
    const generation = this.generation;
    const scope = await this.options.scope();
    if (!scope || generation !== this.generation) return;
    const requestSeq = ++this.seq;
    const page = await scope.api.listTensorboards(this.query(scope, this.pagesLoaded + 1));
    if (generation !== this.generation) return;
    this.pagesLoaded++;
    this.totalCount = page.totalCount;
    const changed = this.applyPage(page.tensorboards, requestSeq);
    this.emit({ list: true, changed });
    this.poller.syncAll();
  }

  /** Forgets every board: the region, workspace or credentials changed. Views reload when they next ask. */
  reset(): void {
    this.generation++;
    this.loading = undefined;
    this.known.clear();
    this.listed.clear();
    this.sortedCache = undefined;
    this.stateSeq.clear();
    this.removedSeq.clear();
    this.totalCount = 0;
    this.pagesLoaded = 0;
    this.listState = 'idle';
    this.listError = undefined;
    this.emit({ list: true });
    this.poller.syncAll();
  }

  /**
   * GetTensorboard for one board, after an action or for a poll, and applies the answer: the board's new state, or
   * its removal when the service no longer has it (resolves to undefined then). Other errors reject.
   */
  async reload(tensorboardId: string): Promise<Tensorboard | undefined> {
    const generation = this.generation;
    const scope = await this.options.scope();
    if (!scope) return this.known.get(tensorboardId);
    const requestSeq = ++this.seq;
    try {
      const board = await scope.api.getTensorboard(tensorboardId, { workspaceId: scope.workspaceId });
      if (generation === this.generation && this.apply(board, requestSeq, this.inWindow(board, scope))) {
        this.emit({ changed: [tensorboardId] });
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
      if (generation === this.generation) this.remove(tensorboardId, requestSeq);
    } finally {
      this.poller.sync(tensorboardId);
    }
    return this.known.get(tensorboardId);
  }

  /**
   * The board a command names by its ID (a panel's button): as known, else asked for. A reset that overtakes the
   * call (the credentials, region, endpoint or workspace changed meanwhile) drops its answer, which was about the
   * scope before; the board is then asked for again in the new one, up to three times in all. Resolves to undefined
   * when the service no longer has it.
   */
  async lookUp(tensorboardId: string): Promise<Tensorboard | undefined> {
    for (let attempt = 1; ; attempt++) {
      const known = this.known.get(tensorboardId);
      if (known) return known;
      const generation = this.generation;
      const last = attempt === 3;
      try {
        const board = await this.reload(tensorboardId);
        if (board || generation === this.generation || last) return board;
      } catch (error) {
        if (generation === this.generation || last) throw error;
      }
    }
  }

  /** The service confirmed a DeleteTensorboard. */
  removeDeleted(tensorboardId: string): void {
    this.remove(tensorboardId, ++this.seq);
    this.poller.sync(tensorboardId);
  }

  /** Remembers what a new board was created from, so its row shows the folder and the duplicate check finds it. */
  rememberSource(tensorboardId: string, source: CreatedSource | undefined): void {
    if (source) this.sources.set(tensorboardId, source);
  }

  /**
   * What an accepted action tells of a board without another call (a create's new board, Creating; a start,
   * Starting): shown at once, until the next answer about it replaces it.
   */
  showAccepted(board: Tensorboard): void {
    if (this.apply(board, ++this.seq, true)) this.emit({ list: true, changed: [board.tensorboardId] });
    this.poller.sync(board.tensorboardId);
  }

  /** Ties polling of listed pending boards (the `listed` reason) to the sidebar's visibility. */
  setListVisible(visible: boolean): void {
    this.poller.setListVisible(visible);
  }

  /**
   * While the returned hold lives, the board is polled until it settles (the `shown` reason), sidebar or not, and
   * every minute after that while the hold says its panel is visible.
   */
  follow(tensorboardId: string, visible?: boolean): Following {
    return this.poller.follow(tensorboardId, visible);
  }

  /**
   * Polls the board (the `awaited` reason) until it runs, fails, stops, the token is cancelled or 15 minutes pass;
   * rejects when the service no longer has it, or on an error that will not go away.
   */
  whenSettled(tensorboardId: string, options?: WaitOptions): Promise<WaitResult> {
    return this.poller.whenSettled(tensorboardId, options);
  }

  /** Why the board is polled now. */
  watchReasons(tensorboardId: string): WatchReason[] {
    return this.poller.reasons(tensorboardId);
  }

  dispose(): void {
    this.generation++;
    this.poller.dispose();
    this.changes.dispose();
  }

  private async loadFirstPage(generation: number): Promise<void> {
    const requestSeq = ++this.seq;
    let changed: string[] = [];
    try {
      const scope = await this.options.scope();
      if (generation !== this.generation) return;
      if (!scope) {
        changed = this.replaceList([], requestSeq);
        this.totalCount = 0;
        this.listState = 'unavailable';
      } else {
        const page = await scope.api.listTensorboards(this.query(scope, 1));
        if (generation !== this.generation) return;
        changed = this.replaceList(page.tensorboards, requestSeq);
        this.totalCount = page.totalCount;
        this.listState = 'loaded';
      }
      this.pagesLoaded = 1;
      this.listError = undefined;
    } catch (error) {
      if (generation !== this.generation) return;
      this.listState = 'failed';
      this.listError = error;
    }
    this.emit({ list: true, changed });
    this.poller.syncAll();
  }

  private query(scope: BoardScope, pageNumber: number): ListTensorboardsQuery {
    return {
      workspaceId: scope.workspaceId,
      // The API returns only the last 7 days unless asked for a wider window.
      startTime: new Date(this.now() - scope.windowDays * 86_400_000).toISOString(),
      sortBy: 'GmtCreateTime',
      order: 'desc',
      pageSize: this.pageSize,
      pageNumber,
    };
  }

  private inWindow(board: Tensorboard, scope: BoardScope): boolean {
    if (this.listed.has(board.tensorboardId)) return true;
    const created = Date.parse(board.gmtCreateTime);
    return Number.isFinite(created) && created >= this.now() - scope.windowDays * 86_400_000;
  }

  /**
   * The first page replaces the list. A board learnt of after the list was asked for (one just created, say) stays,
   * and one removed since is not brought back.
   */
  private replaceList(boards: readonly Tensorboard[], requestSeq: number): string[] {
    for (const id of [...this.listed]) {
      if ((this.stateSeq.get(id) ?? 0) < requestSeq) this.listed.delete(id);
    }
    this.sortedCache = undefined;
    return this.applyPage(boards, requestSeq);
  }

  private applyPage(boards: readonly Tensorboard[], requestSeq: number): string[] {
    const changed: string[] = [];
    for (const board of boards) {
      if (this.apply(board, requestSeq, true)) changed.push(board.tensorboardId);
    }
    return changed;
  }

  /** Applies one answer about a board unless the board's state already comes from a later request. */
  private apply(board: Tensorboard, requestSeq: number, list: boolean): boolean {
    const id = board.tensorboardId;
    if ((this.removedSeq.get(id) ?? 0) > requestSeq) return false;
    if ((this.stateSeq.get(id) ?? 0) > requestSeq) {
      if (list && this.known.has(id) && !this.listed.has(id)) {
        this.listed.add(id);
        this.sortedCache = undefined;
      }
      return false;
    }
    this.known.set(id, this.withSource(board));
    this.fetched.set(id, this.now());
    this.stateSeq.set(id, requestSeq);
    this.removedSeq.delete(id);
    if (list) this.listed.add(id);
    this.sortedCache = undefined;
    return true;
  }

  private remove(tensorboardId: string, requestSeq: number): void {
    if ((this.stateSeq.get(tensorboardId) ?? 0) > requestSeq) return;
    const wasListed = this.listed.delete(tensorboardId);
    const wasKnown = this.known.delete(tensorboardId);
    this.stateSeq.delete(tensorboardId);
    this.removedSeq.set(tensorboardId, requestSeq);
    if (wasListed) this.totalCount = Math.max(0, this.totalCount - 1);
    this.sortedCache = undefined;
    if (wasListed || wasKnown) this.emit({ list: wasListed, removed: [tensorboardId] });
  }

  private withSource(board: Tensorboard): Tensorboard {
    if (board.uri) return board;
    const source = this.sources.get(board.tensorboardId);
    if (!source) return board;
    return {
      ...board,
      uri: source.uri,
      dataSourceType: board.dataSourceType || (source.dataSourceType ?? ''),
      summaryRelativePath: board.summaryRelativePath || (source.summaryRelativePath ?? ''),
    };
  }

  private emit(change: { list?: boolean; changed?: readonly string[]; removed?: readonly string[] }): void {
    this.changes.fire({
      list: change.list ?? false,
      changed: new Set(change.changed),
      removed: new Set(change.removed),
    });
  }
}
