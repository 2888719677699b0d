import assert from 'node:assert/strict';
import { CookieJar } from '../../../src/panel/cookieJar';

describe("the proxy's cookie jar", () => {
  const now = Date.parse('2026-12-06T00:00:00Z');

  it('keeps a cookie whose Expires it cannot parse, as a session cookie', () => {
    const jar = new CookieJar(() => now);
    jar.store(['a=1; Expires=not a date; Path=/', 'b=2; Expires=Tue, 99 Foo 2026 00:00:00 GMT'], '/');
    assert.equal(jar.header('/'), 'a=1; b=2');
  });

  it('drops an expired cookie and keeps one that expires later', () => {
    const jar = new CookieJar(() => now);
    jar.store(['old=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'new=2; Max-Age=60'], '/');
    assert.equal(jar.header('/'), 'new=2');
  });
});
