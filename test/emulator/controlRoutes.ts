import { z } from 'zod';
import type { BoardStatusName, Emulator } from './types';
import { operationNames } from './types';
import { handleOssControl, ossControlPrefix } from './oss/controlRoutes';

/**
 * `/__emulator/*`: the same controls as the in-process Emulator, for tests in another process
 * (e.g. an extension host). Unauthenticated, and never under /api, so no client can hit them by mistake.
 */

const faultSchema = z.object({
  kind: z.enum([
    'throttling',
    'internalError',
    'serviceUnavailable',
    'htmlBadGateway',
    'delay',
    'drop',
    'malformedJson',
    'missingField',
  ]),
  operation: z.enum(operationNames as [string, ...string[]]).optional(),
  times: z.int().positive().optional(),
  retryAfterSeconds: z.number().nonnegative().optional(),
  delayMs: z.number().nonnegative().optional(),
  field: z.string().optional(),
  id: z.string().optional(),
});

const timingsSchema = z.object({
  createMs: z.number().nonnegative().optional(),
  startMs: z.number().nonnegative().optional(),
  stopMs: z.number().nonnegative().optional(),
});

const clockSchema = z.union([z.object({ advanceMs: z.number() }), z.object({ nowMs: z.number() })]);

const boardStatusSchema = z.object({
  Status: z.enum(['Creating', 'Running', 'Stopping', 'Stopped', 'Failed']),
  ReasonCode: z.string().optional(),
  ReasonMessage: z.string().optional(),
});

export interface ControlAnswer {
  status: number;
  json: unknown;
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  return text === '' ? {} : JSON.parse(text);
}

export function handleControl(emulator: Emulator, method: string, path: string, body: Buffer): ControlAnswer {
  const ok = (json: unknown = { ok: true }): ControlAnswer => ({ status: 200, json });
  try {
    if (path.startsWith(ossControlPrefix)) return handleOssControl(emulator.oss, method, path, body);
    const statusRoute = /^\/__emulator\/boards\/([^/]+)\/status$/.exec(path);
    if (statusRoute && method === 'POST') {
      const wanted = boardStatusSchema.parse(parseJson(body));
      const reason = wanted.ReasonCode ? { code: wanted.ReasonCode, message: wanted.ReasonMessage ?? '' } : undefined;
      emulator.setBoardStatus(decodeURIComponent(statusRoute[1]), wanted.Status as BoardStatusName, reason);
      return ok();
    }
    const jobEndRoute = /^\/__emulator\/jobs\/([^/]+)\/end$/.exec(path);
    if (jobEndRoute && method === 'POST') {
      const { Status } = z.object({ Status: z.enum(['Succeeded', 'Failed', 'Stopped']) }).parse(parseJson(body));
      emulator.endJob(decodeURIComponent(jobEndRoute[1]), Status);
      return ok();
    }
    switch (`${method} ${path}`) {
      case 'GET /__emulator/requests':
        return ok(emulator.requests);
      case 'DELETE /__emulator/requests':
        emulator.requests.length = 0;
        return ok();
      case 'GET /__emulator/faults':
        return ok(emulator.faults());
      case 'POST /__emulator/faults':
        emulator.injectFault(faultSchema.parse(parseJson(body)) as Parameters<Emulator['injectFault']>[0]);
        return ok();
      case 'DELETE /__emulator/faults':
        emulator.clearFaults();
        return ok();
      case 'POST /__emulator/reset': {
        const { seed } = z.object({ seed: z.unknown().optional() }).parse(parseJson(body));
        emulator.reset(seed as Parameters<Emulator['reset']>[0]);
        return ok();
      }
      case 'POST /__emulator/pages':
        return ok(
          emulator.setPageSwitches(
            z
              .object({
                tensorboardUrlNeedsLogin: z.boolean().optional(),
                frameLimits: z.boolean().optional(),
                shareCookie: z.boolean().optional(),
                boardPageDown: z.boolean().optional(),
                realBoards: z.boolean().optional(),
              })
              .strict()
              .parse(parseJson(body)),
          ),
        );
      case 'POST /__emulator/timings':
        emulator.setTimings(timingsSchema.parse(parseJson(body)));
        return ok(emulator.timings());
      case 'POST /__emulator/clock': {
        const move = clockSchema.parse(parseJson(body));
        emulator.advanceClock('advanceMs' in move ? move.advanceMs : move.nowMs - emulator.clock.now());
        return ok({ now: emulator.clock.now() });
      }
      case 'POST /__emulator/sts': {
        const { ttlMs } = z.object({ ttlMs: z.number().positive().optional() }).parse(parseJson(body));
        return ok(emulator.issueStsCredentials(ttlMs));
      }
      case 'POST /__emulator/oidc-token': {
        const request = z
          .object({
            providerArn: z.string().optional(),
            ttlMs: z.number().optional(),
            issuer: z.string().optional(),
            audience: z.string().optional(),
            subject: z.string().optional(),
          })
          .strict()
          .parse(parseJson(body));
        return ok(emulator.issueOidcToken(request));
      }
      case 'GET /__emulator/credentials':
        return ok(emulator.issuedCredentials());
      case 'GET /__emulator/secrets':
        return ok(emulator.secrets());
      case 'GET /__emulator/state':
        return ok(emulator.state());
      default:
        return { status: 404, json: { error: `no control route ${method} ${path}` } };
    }
  } catch (error) {
    const message =
      error instanceof z.ZodError ? z.prettifyError(error) : String(error instanceof Error ? error.message : error);
    return { status: 400, json: { error: message } };
  }
}
