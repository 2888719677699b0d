import assert from 'node:assert/strict';
import { defaultSeedPath, loadSeed } from '../emulator/seed';
import { readManifest } from '../runner/manifest';
import { currentSession, openWorkbench } from './harness';
import { signIn } from './steps';
import type { Workbench } from './workbench';

/** The ids src/extension.ts uses; titles and texts come from package.json and package.nls.json. */
const CONTAINER = 'paiTensorboard';
const BOARDS_VIEW = 'paiTensorboard.boards';
const STEP_MS = 15_000;
/** How long the signed-out welcome must stay once the extension is up (it would change as its keys arrive). */
const SETTLED_MS = 1_000;

describe('the PAI TensorBoards sidebar', () => {
  const manifest = readManifest();
  const container = manifest.contributes.viewsContainers?.activitybar?.find((c) => c.id === CONTAINER);
  const [view] = manifest.contributes.views?.[CONTAINER] ?? [];
  // The first paragraph of each welcome content of the view, by the state (`when`) it is for.
  const welcomes = (manifest.contributes.viewsWelcome ?? [])
    .filter((w) => w.view === BOARDS_VIEW)
    .map((w) => ({ when: (w as { when?: string }).when ?? '', text: w.contents.split('\n')[0]!.trim() }));
  function welcomeFor(when: string): string {
    const found = welcomes.find((w) => w.when === when);
    assert.ok(
      found,
      `no welcome content of ${BOARDS_VIEW} for "${when}" among ${JSON.stringify(welcomes.map((w) => w.when))}`,
    );
    return found.text;
  }
  const signedOut = welcomeFor('!paiTensorboard.signedIn');
  const noBoards = welcomeFor('paiTensorboard.signedIn && paiTensorboard.hasWorkspace && paiTensorboard.boardsLoaded');
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });
  after(async () => {
    await workbench.close();
    currentSession().host.emulator.reset(defaultSeedPath());
  });

  /** The welcome content once it shows `expected`, and only that state's text. */
  async function welcomeShowing(expected: string): Promise<string> {
    const welcome = workbench.welcome(view!.name);
    await welcome.filter({ hasText: expected }).waitFor({ timeout: STEP_MS });
    const text = await welcome.innerText();
    const others = welcomes.filter((w) => w.text !== expected && text.includes(w.text));
    assert.deepEqual(
      others.map((w) => w.when),
      [],
      `the welcome content shows another state's text too: ${JSON.stringify(text)}`,
    );
    return text;
  }

  it('opens from the activity bar and, signed out, welcomes with Sign In', async () => {
    assert.ok(container && view, `package.json contributes no activity-bar container ${CONTAINER} with a view`);
    await workbench.openViewContainer(container.title);
    const title = await workbench.sideBarTitle();
    // One title, not "PAI TENSORBOARDS: TENSORBOARDS": VS Code joins a lone view's name to its container's unless
    // the two are the same.
    assert.equal(title.toLowerCase(), container.title.toLowerCase(), `the side bar is titled ${JSON.stringify(title)}`);
    await workbench.view(view.name).waitFor({ timeout: STEP_MS });
    // VS Code shows the signed-out welcome before the extension has set any key: wait for the extension (its account
    // item), then the welcome must stay the signed-out one.
    await workbench.page.locator('.statusbar-item').filter({ hasText: 'PAI: Sign In' }).waitFor({ timeout: STEP_MS });
    for (const settled = Date.now() + SETTLED_MS; ;) {
      await welcomeShowing(signedOut);
      if (Date.now() > settled) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const buttons = workbench.welcome(view.name).getByRole('button');
    assert.deepEqual(await buttons.allInnerTexts(), ['Sign In', 'Show Logs']);
  });

  it('signed in to a workspace without boards, offers to create one', async () => {
    const seed = loadSeed(defaultSeedPath());
    currentSession().host.emulator.reset({ ...seed, tensorboards: [] });
    await signIn(workbench);
    await welcomeShowing(noBoards);
    const buttons = workbench.welcome(view!.name).getByRole('button');
    assert.deepEqual(await buttons.allInnerTexts(), ['Create TensorBoard', 'Refresh']);
  });
});
