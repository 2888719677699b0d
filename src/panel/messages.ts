/**
 * What the panel's page posts to the extension: one message per button, nothing else. The page shares its webview
 * with the board's frame, so whatever arrives is checked (`panelMessage`) before it is acted on.
 */
export type PanelMessage =
  | { readonly type: 'openInBrowser' }
  | { readonly type: 'reload' }
  | { readonly type: 'start' }
  | { readonly type: 'signIn' }
  | { readonly type: 'createAgain' }
  /** Stop and start the board: offered when a board over a synced folder does not catch up with it. */
  | { readonly type: 'restart' }
  | { readonly type: 'extend' };

export type PanelMessageType = PanelMessage['type'];

/**
 * The element ID of the button that posts each message. media/board.js, plain script in the webview, holds the same
 * pairs the other way round; test/unit/panel/messages.test.ts runs it to check that they agree.
 */
export const messageButtons: { readonly [T in PanelMessageType]: string } = {
  openInBrowser: 'open-in-browser',
  reload: 'reload',
  start: 'start',
  signIn: 'sign-in',
  createAgain: 'create-again',
  restart: 'restart-board',
  extend: 'extend',
};

/** The message `data` is, when it is exactly one of the panel's messages; undefined for anything else. */
export function panelMessage(data: unknown): PanelMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const keys = Object.keys(data);
  const type: unknown = (data as { type?: unknown }).type;
  if (keys.length !== 1 || keys[0] !== 'type' || typeof type !== 'string' || !Object.hasOwn(messageButtons, type))
    return undefined;
  return { type: type as PanelMessageType };
}
