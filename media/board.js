// @ts-check
// The panel's own script: remembers which board it shows (for restoring after a reload) and forwards button clicks.
(function () {
  const vscode = acquireVsCodeApi();
  const id = document.body.dataset.tensorboardId;
  if (id) vscode.setState({ tensorboardId: id });
  for (const [elementId, type] of [['open-in-browser', 'openInBrowser'], ['reload', 'reload'], ['start', 'start'], ['sign-in', 'signIn']]) {
    document.getElementById(elementId)?.addEventListener('click', () => vscode.postMessage({ type }));
  }
})();
