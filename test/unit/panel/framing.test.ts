import assert from 'node:assert/strict';
import { sharedOrigin, type PortForwarding } from '../../../src/net/forwardedUrl';
import { chooseFraming } from '../../../src/panel/probe';

/** What `asExternalUri` gives for the roots of ports 6006 and 6007 in each kind of window. */
const windows: Record<string, PortForwarding> = {
  'code-server, /proxy/<port>/': {
    first: 'http://127.0.0.1:8080/proxy/6006/',
    second: 'http://127.0.0.1:8080/proxy/6007/',
  },
  'code-server behind https, with a base path': {
    first: 'https://ide.example.com/cs/proxy/6006/',
    second: 'https://ide.example.com/cs/proxy/6007/',
  },
  'code-server, --proxy-domain': { first: 'http://6006.localhost:8080/', second: 'http://6007.localhost:8080/' },
  'code-server, VSCODE_PROXY_URI with {{port}} in the host': {
    first: 'https://p6006-ide.example.com/',
    second: 'https://p6007-ide.example.com/',
  },
  'Remote-SSH, tunnels to local ports': { first: 'http://localhost:53001/', second: 'http://localhost:53002/' },
};
const shared = ['code-server, /proxy/<port>/', 'code-server behind https, with a base path'];

const refuses = { framingLimited: true, needsCookie: false };
const needsCookie = { framingLimited: false, needsCookie: true };
const allows = { framingLimited: false, needsCookie: false };

describe('framing a board never shares the workbench origin (#22, finding 1)', () => {
  it('tells the windows that forward every port onto one origin from those that give each port its own', () => {
    for (const [name, forwarding] of Object.entries(windows)) {
      assert.equal(sharedOrigin(forwarding) !== undefined, shared.includes(name), name);
    }
    assert.match(
      sharedOrigin(windows['code-server, /proxy/<port>/']!)!,
      /onto paths of one origin \(http:\/\/127\.0\.0\.1:8080\)/,
    );
  });

  it('counts an answer it cannot read as shared', () => {
    for (const odd of ['', 'not a url', 'vscode-remote://x/', 'javascript:alert(1)']) {
      assert.ok(sharedOrigin({ first: odd, second: 'http://6007.localhost:8080/' }), JSON.stringify(odd));
    }
  });

  it('never chooses the proxy where its port would share the origin; a board that allows framing is framed as it is', () => {
    for (const name of shared) {
      const forwarding = windows[name]!;
      for (const setting of ['auto', 'proxy'] as const) {
        assert.equal(chooseFraming(setting, refuses, forwarding).framing, 'browser', `${name}, ${setting}`);
        assert.equal(chooseFraming(setting, needsCookie, forwarding).framing, 'direct', `${name}, ${setting}`);
        assert.equal(chooseFraming(setting, allows, forwarding).framing, 'direct', `${name}, ${setting}`);
      }
    }
  });

  it('chooses the proxy where each port gets an origin of its own, or where ports are not forwarded at all', () => {
    const isolated = [...Object.entries(windows).filter(([name]) => !shared.includes(name)), ['desktop', undefined]];
    for (const [name, forwarding] of isolated as [string, PortForwarding | undefined][]) {
      assert.equal(chooseFraming('auto', refuses, forwarding).framing, 'proxy', name);
      assert.equal(chooseFraming('auto', needsCookie, forwarding).framing, 'proxy', name);
      assert.equal(chooseFraming('proxy', allows, forwarding).framing, 'proxy', name);
      assert.equal(chooseFraming('auto', allows, forwarding).framing, 'direct', name);
    }
  });

  it('gives the reason for the log', () => {
    const forwarding = windows['code-server, /proxy/<port>/'];
    assert.equal(
      chooseFraming('auto', refuses, forwarding).reason,
      "it refuses to be framed, but the proxy would share the workbench's origin: " +
        'the window forwards every port onto paths of one origin (http://127.0.0.1:8080)',
    );
    assert.equal(
      chooseFraming('auto', { framingLimited: true, needsCookie: true }, undefined).reason,
      'it refuses to be framed, it needs a cookie',
    );
    assert.equal(chooseFraming('direct', refuses, forwarding).reason, 'the framing setting asks for it');
  });
});
