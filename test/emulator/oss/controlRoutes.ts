import { z } from 'zod';
import type { OssEmulator, OssFault } from './server';

/** As the PAI-DLC control routes answer (controlRoutes.ts). */
interface ControlAnswer {
  status: number;
  json: unknown;
}

/**
 * `/__emulator/oss/*` on the PAI-DLC port: the emulated OSS's faults, recording and reset, for tests in another
 * process (an extension host). The OSS port itself answers only what OSS would.
 */

const operations = [
  'ListBuckets',
  'GetBucketLocation',
  'GetBucketInfo',
  'ListObjectsV2',
  'PutObject',
  'AppendObject',
  'HeadObject',
  'GetObject',
  'DeleteObject',
  'InitiateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
] as const;

const faultSchema = z
  .object({
    kind: z.enum(['throttling', 'internalError', 'delay', 'drop', 'dropMidBody', 'dropAfterCommit']),
    operation: z.enum(operations).optional(),
    times: z.int().positive().optional(),
    delayMs: z.number().nonnegative().optional(),
  })
  .strict();

export const ossControlPrefix = '/__emulator/oss/';

export function handleOssControl(oss: OssEmulator, method: string, path: string, body: Buffer): ControlAnswer {
  const ok = (json: unknown = { ok: true }): ControlAnswer => ({ status: 200, json });
  const text = body.toString('utf8').trim();
  switch (`${method} ${path.slice(ossControlPrefix.length)}`) {
    case 'GET endpoint':
      return ok({ endpoint: oss.endpoint, regionId: oss.regionId });
    case 'GET requests':
      return ok(oss.requests);
    case 'DELETE requests':
      oss.requests.length = 0;
      return ok();
    case 'GET billed':
      return ok(oss.billed());
    case 'GET faults':
      return ok(oss.faults());
    case 'POST faults':
      oss.injectFault(faultSchema.parse(text === '' ? {} : JSON.parse(text)) as OssFault);
      return ok();
    case 'DELETE faults':
      oss.clearFaults();
      return ok();
    case 'POST reset':
      oss.reset();
      return ok();
    default:
      return { status: 404, json: { error: `no control route ${method} ${path}` } };
  }
}
