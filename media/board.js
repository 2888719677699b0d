// @ts-check
// The panel's own script: remembers which board it shows (for restoring after a reload) and forwards button clicks.
// Its buttons and messages are those of src/panel/messages.ts; test/unit/panel/messages.test.ts runs this script to
// check that they agree.
(function () {
  const vscode = acquireVsCodeApi();
  const id = document.body.dataset.tensorboardId;
  if (id) vscode.setState({ tensorboardId: id });
  /** @type {Record<string, import('../src/panel/messages').PanelMessageType>} */
  const messages = {
    'open-in-browser': 'openInBrowser',
    reload: 'reload',
    start: 'start',
    'sign-in': 'signIn',
    'create-again': 'createAgain',
  };
  for (const [elementId, type] of Object.entries(messages)) {
    document.getElementById(elementId)?.addEventListener('click', () => vscode.postMessage({ type }));
  }
})();
