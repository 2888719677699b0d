import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bridgeScript, injectBridge, isHtmlNavigation } from '../../../src/panel/bridgeInject';

const root = path.resolve(__dirname, '..', '..', '..', '..');

describe("the bridge's script tag and script", () => {
  it("goes first into the page's head, relative to the page, bytes around it untouched", () => {
    const page = Buffer.from('<!doctype html><!-- é --><html><head><meta charset="utf-8"><title>TB</title>', 'utf8');
    const out = injectBridge(page, '/share/tb1/token/abc/').toString('utf8');
    assert.equal(
      out,
      '<!doctype html><!-- é --><html><head><script src="./../../../../__pai/bridge.js"></script><meta charset="utf-8"><title>TB</title>',
    );
    assert.match(
      injectBridge(Buffer.from('<p>x'), '/').toString(),
      /^<script src="\.\/__pai\/bridge\.js"><\/script><p>x$/,
    );
    assert.match(injectBridge(Buffer.from('<HTML lang="en"><p>'), '/a?q=1').toString(), /^<HTML lang="en"><script/);
  });

  it('is added to pages the frame navigates to, not to their scripts or data', () => {
    assert.ok(isHtmlNavigation('GET', { 'sec-fetch-dest': 'iframe' }));
    assert.ok(isHtmlNavigation('GET', { accept: 'text/html,application/xhtml+xml' }));
    assert.ok(!isHtmlNavigation('GET', { 'sec-fetch-dest': 'script', accept: 'text/html' }));
    assert.ok(!isHtmlNavigation('GET', { 'sec-fetch-dest': 'empty' }));
    assert.ok(!isHtmlNavigation('POST', { 'sec-fetch-dest': 'iframe' }));
  });

  it('carries its configuration as JSON no value can break out of', () => {
    const template = readFileSync(path.join(root, 'media', 'bridge.js'), 'utf8');
    const script = bridgeScript(template, {
      secret: 's3',
      storage: { x: '</script><script>alert(1)</script>\u2028"' },
    });
    assert.ok(!script.includes('</script>'));
    assert.ok(!script.includes('/*PAI_BRIDGE_CONFIG*/'));
    // The whole script still parses, and hands the configuration over as it was.
    const config = /\}\)\((\{.*\})\);\s*$/s.exec(script)?.[1];
    assert.deepEqual(JSON.parse(config!), {
      secret: 's3',
      storage: { x: '</script><script>alert(1)</script>\u2028"' },
    });
    assert.doesNotThrow(() => new Function(script));
  });
});
