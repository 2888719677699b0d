import assert from 'node:assert/strict';
import { BoardFrame, type FrameProxy } from '../../../src/panel/boardFrame';
import type { BoardProxyOptions } from '../../../src/panel/boardProxy';
import type { ProbeResult } from '../../../src/panel/probe';
import { FakeTimer } from '../../shared/fakeTimer';

const LINK = 'https://board.example/share/tb1/?token=abc';
const allows: ProbeResult = { ready: true, status: 200, framingLimited: false, needsCookie: false };

/**
 * A frame over a board that allows framing: on desktop (`window` undefined, no port forwarding to ask about), or in
 * a browser window whose ports are on paths of one origin (`shared`) or each on an origin of its own (`domain`).
 */
function frameFor(window: 'shared' | 'domain' | undefined, bridge: boolean, boardFraming: 'auto' | 'proxy' = 'auto') {
  const started: BoardProxyOptions[] = [];
  const frame = new BoardFrame({
    tensorboardId: 'tb1',
    sharedUrl: async () => LINK,
    settings: () => ({ sharedLinkLifetimeHours: 1, boardFraming }),
    webviewUrl: async (url) => url,
    portForwarding: async () =>
      window === 'shared'
        ? { first: 'https://ide.example/proxy/6006/', second: 'https://ide.example/proxy/6007/' }
        : window === 'domain'
          ? { first: 'https://6006.ide.example/', second: 'https://6007.ide.example/' }
          : undefined,
    onRenew: () => undefined,
    log: { info: () => undefined, warn: () => undefined },
    timer: new FakeTimer(),
    probe: async () => allows,
    startProxy: async (options): Promise<FrameProxy> => {
      started.push(options);
      return { target: options.target, entryUrl: 'http://127.0.0.1:9/tok/share/tb1/?token=abc', close: async () => {} };
    },
    ...(bridge
      ? {
          bridgeScript: () => 'bridge',
          savedView: () => ({ search: '?smoothing=0.9&token=forged', hash: '#timeseries' }),
        }
      : {}),
  });
  return { frame, started };
}

describe('the board frame with the bridge', () => {
  it('shows a board that allows framing through the proxy, with the bridge, on desktop', async () => {
    const { frame, started } = frameFor(undefined, true);
    assert.deepEqual(await frame.load({}), {
      kind: 'framed',
      url: 'http://127.0.0.1:9/tok/share/tb1/?token=abc&smoothing=0.9#timeseries',
      framing: 'proxy',
    });
    assert.equal(started[0]?.bridgeScript?.(), 'bridge');
    await frame.dispose();
  });

  it('in a browser window with a port origin of its own, through the proxy by default and when the setting asks', async () => {
    for (const framing of ['auto', 'proxy'] as const) {
      const { frame, started } = frameFor('domain', true, framing);
      const shown = await frame.load({});
      assert.equal(shown?.kind === 'framed' && shown.framing, 'proxy', framing);
      assert.equal(started[0]?.bridgeScript?.(), 'bridge', framing);
      await frame.dispose();
    }
  });

  it("frames it as it is in a browser window by default, where the proxy would share the workbench's origin, or without a bridge", async () => {
    for (const [window, bridge, framing] of [
      ['shared', true, 'auto'],
      ['shared', true, 'proxy'],
      [undefined, false, 'auto'],
    ] as const) {
      const { frame, started } = frameFor(window, bridge, framing);
      assert.deepEqual(await frame.load({}), { kind: 'framed', url: LINK, framing: 'direct' }, `${window} ${bridge}`);
      assert.equal(started.length, 0);
      await frame.dispose();
    }
  });
});
