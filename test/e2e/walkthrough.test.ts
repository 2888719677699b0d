import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { extensionId, readManifest } from '../runner/manifest';
import { currentSession, openWorkbench, screenshotPath } from './harness';
import { createBoardForJob, signIn, typeAccessKeyPair } from './steps';
import type { Workbench } from './workbench';

const STEP_MS = 15_000;

interface WalkthroughManifest {
  contributes: { walkthroughs: Array<{ id: string; title: string; steps: Array<{ id: string; title: string }> }> };
}

const walkthrough = (readManifest() as unknown as WalkthroughManifest).contributes.walkthroughs[0]!;
const stepTitle = (id: string): string => walkthrough.steps.find((s) => s.id === id)!.title;

/**
 * The walkthrough "Get Started with PAI TensorBoard" as a new user meets it: opened from Help › Open Walkthrough…,
 * each step done from its own button, and VS Code ticking it (its check mark, `data-done-step-id` with the class
 * `complete`), also after the window reloads.
 */
describe('the walkthrough', () => {
  let workbench: Workbench;

  describe('followed step by step from a fresh start', () => {
    before(async () => {
      const { emulator } = currentSession().host;
      emulator.reset();
      // Boards stay Creating: a board that turns Running takes the editor for its panel, which would race the
      // walkthrough page. Created is what the steps are about.
      emulator.setTimings({ createMs: 600_000 });
      workbench = await openWorkbench();
    });
    after(async () => {
      await workbench.close();
    });

    it('ticks "Sign in" after signing in from the step\'s own button', async () => {
      await openWalkthrough(workbench);
      assert.deepEqual(await doneSteps(workbench), [], 'a fresh user has done nothing yet');
      await selectStep(workbench, 'signIn');
      await clickStepButton(workbench, 'signIn', 'Sign In');
      await typeAccessKeyPair(workbench);
      await waitForDone(workbench, 'signIn');
      await workbench.screenshot(screenshotPath('walkthrough signed in'));
    });

    it('ticks "Choose the region and workspace" once a workspace is chosen', async () => {
      // The test settings name the emulator's workspace, as a user's would after Select Workspace.
      await waitForDone(workbench, 'region');
    });

    it('ticks "Create a TensorBoard" after creating one from the step\'s own button', async () => {
      await selectStep(workbench, 'create');
      await clickStepButton(workbench, 'create', 'Create TensorBoard');
      await workbench.pickQuickItem(/A DLC job/);
      await workbench.pickQuickItem(/xgboost-ctr/);
      await workbench.answerInputBox('tb-walkthrough', { prompt: /Name of the new TensorBoard/ });
      await boardTab(workbench, 'tb-walkthrough');
      await openWalkthrough(workbench);
      await waitForDone(workbench, 'create');
      await workbench.screenshot(screenshotPath('walkthrough created'));
    });

    it('still shows every step ticked after the window reloads', async () => {
      await workbench.runCommand('View: Close All Editors');
      await workbench.runCommand('Developer: Reload Window');
      await workbench.ready();
      await openWalkthrough(workbench);
      for (const step of walkthrough.steps) await waitForDone(workbench, step.id);
      assert.deepEqual(
        await doneSteps(workbench),
        walkthrough.steps.map((s) => s.id),
      );
      await workbench.screenshot(screenshotPath('walkthrough after reload'));
    });
  });

  // VS Code creates its walkthrough service when the walkthrough first opens, and takes a completion `when` clause
  // that already holds then as seen without ticking its step: the steps' events name the walkthrough page too.
  describe('opened only after the user signed in and created a board', () => {
    before(async () => {
      const { emulator } = currentSession().host;
      emulator.reset();
      // Boards stay Creating: a board that turns Running takes the editor for its panel, which would race the
      // walkthrough page. Created is what the steps are about.
      emulator.setTimings({ createMs: 600_000 });
      workbench = await openWorkbench();
    });
    after(async () => {
      await workbench.close();
    });

    it('signs in and creates a board from the palette', async () => {
      await signIn(workbench);
      await createBoardForJob(workbench, /xgboost-ctr/, 'tb-before');
      await boardTab(workbench, 'tb-before');
    });

    it('ticks every step the user has done', async () => {
      await openWalkthrough(workbench);
      for (const step of walkthrough.steps) await waitForDone(workbench, step.id);
      await workbench.screenshot(screenshotPath('walkthrough opened late'));
    });

    it('ticks them in a reloaded window whose sidebar listed the boards before the walkthrough opened', async () => {
      await workbench.runCommand('View: Close All Editors');
      await workbench.runCommand('Developer: Reset Welcome Page Walkthrough Progress');
      await workbench.runCommand('Developer: Reload Window');
      await workbench.ready();
      // The sidebar's list loads the extension behind it, which sets its keys while no walkthrough is open.
      await workbench.openViewContainer('PAI TensorBoards');
      await workbench.treeItem('PAI TensorBoards', 'tb-before').waitFor({ timeout: STEP_MS });
      await openWalkthrough(workbench);
      for (const step of walkthrough.steps) await waitForDone(workbench, step.id);
      await workbench.screenshot(screenshotPath('walkthrough opened late after reload'));
    });
  });
});

/** The editor tab of the new board's panel, which opens with its "starting" page as soon as the board is created. */
async function boardTab(workbench: Workbench, name: string): Promise<void> {
  await workbench.page.locator('.tabs-container .tab').filter({ hasText: name }).waitFor({ timeout: STEP_MS });
}

function stepId(id: string): string {
  return `${extensionId()}#${walkthrough.id}#${id}`;
}

/** Help › Open Walkthrough… (the palette's "Welcome: Open Walkthrough…") › the extension's walkthrough. */
async function openWalkthrough(workbench: Workbench): Promise<void> {
  await workbench.runCommand('Welcome: Open Walkthrough...');
  await workbench.pickQuickItem(walkthrough.title);
  await page(workbench)
    .locator('.gettingStartedSlideDetails')
    .getByText(walkthrough.title)
    .first()
    .waitFor({ timeout: STEP_MS });
}

function page(workbench: Workbench): Locator {
  return workbench.page.locator('.gettingStartedContainer');
}

/** The step's check mark: VS Code gives it `data-done-step-id` and, once the step is done, the class `complete`. */
function checkMark(workbench: Workbench, id: string): Locator {
  return page(workbench).locator(`[data-done-step-id="${stepId(id)}"]`);
}

async function doneSteps(workbench: Workbench): Promise<string[]> {
  const done: string[] = [];
  for (const step of walkthrough.steps) {
    if (
      ((await checkMark(workbench, step.id).getAttribute('class', { timeout: STEP_MS })) ?? '')
        .split(/\s+/)
        .includes('complete')
    )
      done.push(step.id);
  }
  return done;
}

async function waitForDone(workbench: Workbench, id: string, timeout = STEP_MS): Promise<void> {
  try {
    await page(workbench)
      .locator(`[data-done-step-id="${stepId(id)}"].complete`)
      .waitFor({ timeout });
  } catch {
    throw new Error(`the step "${stepTitle(id)}" is not ticked; ticked: ${JSON.stringify(await doneSteps(workbench))}`);
  }
  await checkMark(workbench, id).scrollIntoViewIfNeeded(); // for the screenshot
}

async function selectStep(workbench: Workbench, id: string): Promise<void> {
  const step = page(workbench).locator(`button.getting-started-step[data-step-id="${stepId(id)}"]`);
  await step.waitFor({ timeout: STEP_MS });
  if (!((await step.getAttribute('class')) ?? '').includes('expanded')) await step.click();
  await page(workbench)
    .locator(`button.getting-started-step.expanded[data-step-id="${stepId(id)}"]`)
    .waitFor({ timeout: STEP_MS });
}

async function clickStepButton(workbench: Workbench, id: string, label: string): Promise<void> {
  const step = page(workbench).locator(`button.getting-started-step[data-step-id="${stepId(id)}"]`);
  await step.getByRole('button', { name: label, exact: true }).click({ timeout: STEP_MS });
}
