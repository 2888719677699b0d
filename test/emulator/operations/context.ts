import type { GuessedError } from '../errors';
import type { Route } from '../router';
import type { Timings } from '../types';
import type { StatusCase } from '../wire';
import type { Caller, World } from '../world';
import type { Query } from './params';

/** Settings the operations read; the server keeps them current (timings can change at run time). */
export interface ServiceSettings {
  timings: Timings;
  boardQuota: number;
  quotaScope: 'account' | 'user';
  statusCase: StatusCase;
  requireJsonContentType: boolean;
  defaultMaxRunningTimeMinutes?: number;
  /** `http://127.0.0.1:PORT`, where board pages and shared links are served. */
  pageOrigin: string;
  /** Signs share tokens. */
  shareSecret: string;
}

export interface OperationContext {
  world: World;
  now: number;
  caller: Caller;
  route: Route;
  query: Query;
  /** The JSON body, already parsed (undefined when empty). */
  body: unknown;
  contentType: string | undefined;
  settings: ServiceSettings;
  guessed: GuessedError;
}

/** A success body without RequestId (the server adds it). */
export type Answer = Record<string, unknown>;

/** Whether the caller may see an item (reference: PRIVATE is "visible only to you and the administrator"). */
export function visibleTo(
  caller: Caller,
  owner: { accountId: string; userId: string },
  accessibility: string,
): boolean {
  if (owner.accountId !== caller.accountId) return false;
  const isAccountOwner = caller.userId === caller.accountId;
  return owner.userId === caller.userId || isAccountOwner || accessibility === 'PUBLIC';
}
