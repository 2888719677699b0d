import assert from 'node:assert/strict';
import { BoardFrame, type FrameProxy } from '../../../src/panel/boardFrame';
import type { BoardProxyOptions } from '../../../src/panel/boardProxy';
import type { ProbeResult } from '../../../src/panel/probe';
import { FakeTimer } from '../../shared/fakeTimer';

const LINK = 'https://board.example/share/tb1/?token=abc';
const allows: ProbeResult = { ready: true, status: 200, framingLimited: false, needsCookie: false };

/** A frame over a board that allows framing, in a window whose ports have origins of their own unless `shared`. */
function frameFor(shared: boolean, bridge: boolean) {
  const started: BoardProxyOptions[] = [];
  const frame = new BoardFrame({
    tensorboardId: 'tb1',
    sharedUrl: async () => LINK,
    settings: () => ({ sharedLinkLifetimeHours: 1, boardFraming: 'auto' }),
    webviewUrl: async (url) => url,
    portForwarding: async () =>
      shared
        ? { first: 'https://ide.example/proxy/6006/', second: 'https://ide.example/proxy/6007/' }
        : { first: 'https://6006.ide.example/', second: 'https://6007.ide.example/' },
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
  it('shows a board that allows framing through the proxy, with the bridge, where the proxy has its own origin', async () => {
    const { frame, started } = frameFor(false, true);
    assert.deepEqual(await frame.load({}), {
      kind: 'framed',
      url: 'http://127.0.0.1:9/tok/share/tb1/?token=abc&smoothing=0.9#timeseries',
      framing: 'proxy',
    });
    assert.equal(started[0]?.bridgeScript?.(), 'bridge');
    await frame.dispose();
  });

  it("frames it as it is where the proxy would share the workbench's origin, or without a bridge", async () => {
    for (const [shared, bridge] of [
      [true, true],
      [false, false],
    ] as const) {
      const { frame, started } = frameFor(shared, bridge);
      assert.deepEqual(await frame.load({}), { kind: 'framed', url: LINK, framing: 'direct' }, `${shared} ${bridge}`);
      assert.equal(started.length, 0);
      await frame.dispose();
    }
  });
});
