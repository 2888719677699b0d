import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { Workbench } from '../e2e/workbench';
import { vsixPath } from './manifest';
import { parseUiRequest } from './protocol';
import type { Run } from './run';
import { launchCodeServer, subFolder, type CodeServer, type TestHost } from './testHost';

/** Where the production suite is compiled; it is also the folder of the extension that carries it. */
const SUITE_FOLDER = 'out/test/production';

export interface ProductionHost {
  readonly server: CodeServer;
  /** The tests' own extension: loaded under development, so the extension under test is not. */
  readonly developmentPath: string;
  /** Acts on the suite's `[ui]` requests in the page, as a user would. */
  readonly onLine: (line: string, page: Page) => void;
}

/**
 * A code-server of the run (`<dataDir>/production`: its own HOME, user data and extensions; the same workspace and
 * emulator) with the packaged `.vsix` installed, so the extension runs as users get it: the production bundle in
 * ExtensionMode.Production, activated lazily. The suite is an extension of its own (a package.json written beside
 * the compiled tests), since the extension under development would be the one in test mode.
 */
export async function launchProductionHost(
  run: Run,
  host: TestHost,
  root: string,
  extraEnv: Record<string, string>,
): Promise<ProductionHost> {
  const vsix = vsixPath(root);
  if (!existsSync(vsix))
    throw new Error(`no ${vsix}: the integration runner packages it (node scripts/package.mjs --if-stale)`);
  const developmentPath = path.join(root, SUITE_FOLDER);
  writeFileSync(
    path.join(developmentPath, 'package.json'),
    `${JSON.stringify({ name: 'pai-tensorboard-production-tests', publisher: 'pai-tensorboard-tests', version: '0.0.0', private: true, engines: { vscode: '^1.100.0' } }, null, 2)}\n`,
  );
  const server = await launchCodeServer(root, subFolder(host, 'production'), {
    vsix,
    extraEnv,
    label: 'integration, production',
  });
  run.defer('production code-server', () => server.stop());
  const onLine = (line: string, page: Page): void => {
    const request = parseUiRequest(line);
    if (!request) return;
    // The suite waits for what the pick leads to; a pick that cannot be made leaves it to fail on its own timeout.
    new Workbench(page, () => {})
      .pickQuickItem(new RegExp(`${escapeRegExp(request.pick)}$`))
      .catch((error: unknown) => {
        console.error(
          `[production] could not pick "${request.pick}": ${error instanceof Error ? error.message : String(error)}`,
        );
      });
  };
  return { server, developmentPath, onLine };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
