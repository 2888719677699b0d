import { exchange, freshConnectionAgent, HttpFailure } from '../api/http';

/**
 * Whether the sync's requests go to OSS's internal endpoint, `oss-<region>-internal.aliyuncs.com`: free of internet
 * traffic charges and faster, but reachable only from inside the region's network (ECS, PAI-DSW). `auto` asks the
 * instance metadata service which region this machine runs in, once per window: no answer (a laptop, another
 * cloud) or another region means the public endpoint. A client that chose the internal endpoint by itself falls
 * back to the public one when it cannot connect (internalEndpoint in ossClient.ts).
 */
export type InternalEndpointSetting = 'auto' | 'always' | 'never';

/** The ECS/DSW instance metadata service; the extension's test mode points it at the emulator (testSeams.ts). */
export const metadataOrigin = 'http://100.100.100.200';

/**
 * The region this machine runs in, from the instance metadata service; undefined when nothing answers within
 * `timeoutMs` or the answer is not a region ID. IMDSv2 first (a token), as a hardened instance requires.
 */
export async function regionOfThisMachine(origin = metadataOrigin, timeoutMs = 500): Promise<string | undefined> {
  const common = {
    origin: new URL(origin),
    agent: freshConnectionAgent(false),
    connectTimeoutMs: timeoutMs,
    readTimeoutMs: timeoutMs,
    maxBodyBytes: 4096,
    body: '',
  };
  let token: string | undefined;
  try {
    const answer = await exchange({
      ...common,
      path: '/latest/api/token',
      method: 'PUT',
      headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': '60', 'content-length': '0' },
    });
    if (answer.status === 200) token = answer.body.toString('utf8').trim() || undefined;
  } catch (error) {
    // Nothing there (not in Alibaba Cloud): no second wait for the same silence.
    if (error instanceof HttpFailure) return undefined;
    throw error;
  }
  try {
    const answer = await exchange({
      ...common,
      path: '/latest/meta-data/region-id',
      method: 'GET',
      headers: token ? { 'x-aliyun-ecs-metadata-token': token } : {},
    });
    const region = answer.body.toString('utf8').trim();
    return answer.status === 200 && /^[a-z]{2,}-[a-z0-9-]+$/.test(region) ? region : undefined;
  } catch (error) {
    if (error instanceof HttpFailure) return undefined;
    throw error;
  }
}

const asked = new Map<string, Promise<string | undefined>>();

/** `regionOfThisMachine`, asked once per metadata origin for the process (the window). */
export function machineRegion(origin = metadataOrigin): Promise<string | undefined> {
  let answer = asked.get(origin);
  if (!answer) {
    answer = regionOfThisMachine(origin).catch(() => undefined);
    asked.set(origin, answer);
  }
  return answer;
}

/**
 * The OSS client's `internal` for a bucket of `region`: a fixed choice, or (`auto`) whether the machine runs in
 * that region, asked at the first request.
 */
export function internalFor(
  setting: InternalEndpointSetting | undefined,
  region: string,
  regionOfMachine: () => Promise<string | undefined>,
): boolean | (() => Promise<boolean>) {
  if (setting === 'always') return true;
  if (setting === 'never') return false;
  return async () => (await regionOfMachine()) === region;
}
