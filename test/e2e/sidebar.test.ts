import assert from 'node:assert/strict';
import { readManifest } from '../runner/manifest';
import { openWorkbench } from './harness';
import type { Workbench } from './workbench';

/** The ids src/extension.ts uses; titles and texts come from package.json and package.nls.json. */
const CONTAINER = 'paiTensorboard';
const BOARDS_VIEW = 'paiTensorboard.boards';

describe('the PAI TensorBoards sidebar', () => {
  const manifest = readManifest();
  const container = manifest.contributes.viewsContainers?.activitybar?.find((c) => c.id === CONTAINER);
  const [view] = manifest.contributes.views?.[CONTAINER] ?? [];
  // The first paragraph of each welcome content of the view; which one shows depends on the state (signed out, ...).
  const welcomeTexts = (manifest.contributes.viewsWelcome ?? [])
    .filter((w) => w.view === BOARDS_VIEW)
    .map((w) => w.contents.split('\n')[0]!.trim());
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });
  after(async () => {
    await workbench.close();
  });

  it('opens from the activity bar and shows the boards view with its welcome content', async () => {
    assert.ok(container && view, `package.json contributes no activity-bar container ${CONTAINER} with a view`);
    await workbench.openViewContainer(container.title);
    const title = await workbench.sideBarTitle();
    assert.ok(title.startsWith(container.title), `the side bar is titled ${JSON.stringify(title)}`);
    await workbench.view(view.name).waitFor({ timeout: 15_000 });
    const welcome = workbench.welcome(view.name);
    await welcome.waitFor({ timeout: 15_000 });
    const text = await welcome.innerText();
    assert.ok(
      welcomeTexts.some((expected) => text.includes(expected)),
      `the welcome content shows ${JSON.stringify(text)}, none of ${JSON.stringify(welcomeTexts)}`,
    );
  });
});
