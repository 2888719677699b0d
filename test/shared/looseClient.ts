import { DlcClient, type CallEvent, type DlcClientOptions } from '../../src/api';
import type { LooseServer } from './looseServer';

export { closed, sendJson, startLooseServer, streamPaddedJson, type Handler, type LooseServer } from './looseServer';

export const credentials = { accessKeyId: 'LTAIloose', accessKeySecret: 'LooseSecret0123456789abcdefghij' };

/** A client of a loose server whose sleeps and call events are recorded; it never waits for real. */
export function looseClient(
  server: LooseServer,
  options: Partial<DlcClientOptions> = {},
): { client: DlcClient; delays: number[]; events: CallEvent[] } {
  const delays: number[] = [];
  const events: CallEvent[] = [];
  const client = new DlcClient({
    endpoint: server.endpoint,
    credentials: { getCredentials: async () => credentials },
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    onCall: (event) => events.push(event),
    ...options,
  });
  return { client, delays, events };
}
