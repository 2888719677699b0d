import assert from 'node:assert/strict';
import { ManualClock, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { api, consoleLogin, visit } from './helpers';

const boardId = 'tb4k8lc5xfu36opt';

async function sharedUrl(emulator: Emulator, seconds = '600'): Promise<string> {
  const answer = await api(emulator, 'GET', `/api/v1/tensorboards/${boardId}/sharedurl`, {
    query: { ExpireTimeSeconds: seconds },
  });
  return String(answer.TensorboardSharedUrl);
}

// The switches in front of a board, over the placeholder page shown where there is no real TensorBoard;
// realBoards.test.ts checks them again in front of real ones.
describe('emulator: board pages and shared links (placeholder pages)', () => {
  let emulator: Emulator;
  let clock: ManualClock;

  async function start(options: EmulatorOptions = {}): Promise<void> {
    clock = new ManualClock(Date.UTC(2026, 2, 3, 4, 5, 6));
    emulator = await startEmulator({ clock, tensorboard: false, ...options });
  }
  afterEach(() => emulator.stop());

  it('shows the board through a valid shared link', async () => {
    await start();
    const page = await visit(await sharedUrl(emulator));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('x-frame-options'), null);
    const html = await page.text();
    assert.match(html, /<title>TensorBoard - resnet50-imagenet<\/title>/);
    assert.match(html, /<h1>TensorBoard<\/h1>/);
    assert.match(html, new RegExp(boardId));
  });

  it('redirects an expired or tampered token to the login page, which it serves', async () => {
    await start();
    const url = await sharedUrl(emulator, '60');
    const tampered = url.replace(/\.([^./]+)\/$/, (_, signature: string) => `.${signature.slice(0, -2)}AA/`);
    const refused = await visit(tampered);
    assert.equal(refused.status, 302);
    const login = refused.headers.get('location') ?? '';
    assert.ok(login.startsWith(`${emulator.endpoint}/login?redirect=`), login);
    const loginPage = await visit(login);
    assert.equal(loginPage.status, 200);
    assert.match(await loginPage.text(), /sign-in/i);

    clock.advance(61_000);
    const expired = await visit(url);
    assert.equal(expired.status, 302);
    assert.ok((expired.headers.get('location') ?? '').startsWith(`${emulator.endpoint}/login`));
  });

  it('does not let a token for one board open another', async () => {
    await start();
    emulator.setBoardStatus('tb9w3n6c1r8m2qxd', 'Running');
    const url = (await sharedUrl(emulator)).replace(boardId, 'tb9w3n6c1r8m2qxd');
    assert.equal((await visit(url)).status, 302);
  });

  it('needs a console login for the plain TensorboardUrl by default; the login page opens a session', async () => {
    await start();
    const board = await api(emulator, 'GET', `/api/v1/tensorboards/${boardId}`);
    const anonymous = await visit(String(board.TensorboardUrl));
    assert.equal(anonymous.status, 302);
    const { cookie, answer: login } = await consoleLogin(emulator, String(board.TensorboardUrl));
    assert.equal(login.status, 302);
    assert.equal(login.headers.get('location'), board.TensorboardUrl);
    assert.equal((await visit(String(board.TensorboardUrl), cookie)).status, 200);
  });

  it('opens the plain TensorboardUrl without login when so configured, with framing limits when asked', async () => {
    await start({ tensorboardUrlNeedsLogin: false, frameLimits: true });
    const page = await visit(`${emulator.endpoint}/tensorboard/${boardId}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('content-security-policy'), "frame-ancestors 'none'");
  });

  it('escapes the display name and answers 503 for a board that is not running', async () => {
    await start({ tensorboardUrlNeedsLogin: false });
    const stopped = await visit(`${emulator.endpoint}/tensorboard/tb9w3n6c1r8m2qxd/`);
    assert.equal(stopped.status, 503);
    emulator.setBoardStatus('tb9w3n6c1r8m2qxd', 'Running');
    const html = await (await visit(`${emulator.endpoint}/tensorboard/tb9w3n6c1r8m2qxd/`)).text();
    assert.match(html, /mnist-baseline &#60;v1&#62;/);
    assert.ok(!html.includes('<v1>'));
    assert.equal((await visit(`${emulator.endpoint}/tensorboard/tbnosuchboard0000/`)).status, 404);
  });

  it('in cookie mode, exchanges the token for a cookie and redirects', async () => {
    await start({ shareCookie: true });
    const exchange = await visit(await sharedUrl(emulator));
    assert.equal(exchange.status, 302);
    const location = exchange.headers.get('location') ?? '';
    assert.equal(location, `${emulator.endpoint}/share/${boardId}/`);
    const cookie = (exchange.headers.get('set-cookie') ?? '').split(';')[0];
    assert.equal((await visit(location, cookie)).status, 200);
    assert.equal((await visit(location)).status, 302);
  });
});
