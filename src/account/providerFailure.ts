import { redact } from '../api/redact';

/**
 * What a failure of `@alicloud/credentials` may tell the user. Its messages quote whatever the other side sent
 * (`refresh session token failed: <body>`, `… result: <json>`), and the CLI-profile reader quotes the whole
 * config.json when it is not JSON: any of that may hold a secret. So the text after such a marker is dropped,
 * except the `Code` and `Message` of a JSON error body, which say why (`EntityNotExist.Role`, `NoPermission`).
 */

export type ProviderFailure =
  /** A CloudSSO or OAuth sign-in of the aliyun CLI has run out. */
  { readonly kind: 'signInExpired' } | { readonly kind: 'other'; readonly text: string };

/**
 * The messages of @alicloud/credentials 2.4.7 that quote something after their first words (group 1), found by
 * reading its providers. The quoted part is an answer's body, a file, or a program's output or error.
 */
const QUOTING: readonly RegExp[] = [
  /^(refresh session token failed|refresh RoleArn sts token err, unmarshal fail|get sts token failed with OIDC(?:, unmarshal fail)?): /,
  /^(get session token from (?:CloudSSO|OAuth) failed(?:, unmarshal fail)?|refresh session token from OAuth failed, fail to get credentials): /,
  /^(failed to refresh OAuth token(?:, unmarshal fail)?|error retrieving credentials from credentialsURI result): /,
  /^(failed to parse external command output|failed to execute external command): /,
  /^(get sts token failed, httpStatus: \d+), message = /,
  /^(get sts token failed, json parse failed): /,
  // Lazy, so that a home path with an apostrophe still ends at the quote before ` failed`.
  /^(parse aliyun cli config from '.*?' failed): /,
];
const MAX_MESSAGE = 200;
/** What is read of a message at all: the library's own words are short; what is longer is something it quoted. */
const MAX_INPUT = 8 * 1024;
/** What is shown at the most. */
const MAX_SHOWN = 1024;

/**
 * A URL, reduced to its scheme, host and port: httpx's errors quote the signed URL, whose query holds the AccessKey
 * ID, a signature, maybe a token, and a credentials URI may carry a token in its path or a user and password.
 */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;

/** The scheme and the authority without its user and password: the host and port as written. */
function origin(url: string): string {
  const at = url.indexOf('://');
  const authority = url.slice(at + 3).split(/[/?#]/)[0]!;
  return `${url.slice(0, at)}://${authority.slice(authority.lastIndexOf('@') + 1)}`;
}

/**
 * `secrets` are what this machine knows to be secret beyond the library's answers (the OIDC token, the credentials
 * URI and its user and password): hidden wherever they still appear.
 */
export function describeProviderFailure(error: unknown, secrets: readonly string[] = []): ProviderFailure {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_INPUT);
  if (/CloudSSO access token is empty or expired|failed to refresh OAuth token/.test(message))
    return { kind: 'signInExpired' };
  const text = redact(safeText(message).replace(URL_IN_TEXT, origin), secrets);
  return { kind: 'other', text: text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text };
}

const CHAIN = 'unable to get credentials from any of the providers in the chain: ';

function safeText(message: string): string {
  for (const pattern of QUOTING) {
    const match = pattern.exec(message);
    if (!match) continue;
    const reason = errorBody(message.slice(match[0].length));
    return reason ? `${match[1]}: ${reason}` : `${match[1]} (what it quoted is not shown)`;
  }
  // The default chain joins its providers' messages with ", ": everything from the first quoting one on goes.
  if (message.startsWith(CHAIN)) {
    const rest = message.slice(CHAIN.length);
    const cut = Math.min(
      ...QUOTING.map((pattern) => new RegExp(pattern.source.slice(1)).exec(rest)?.index ?? rest.length),
    );
    return `${CHAIN}${cutAtBrace(rest.slice(0, cut))}${cut < rest.length ? `${rest.slice(cut).split(':')[0]} (what it quoted is not shown)` : ''}`;
  }
  return cutAtBrace(message);
}

/** A message this version does not know: nothing from the first brace on, where a quoted JSON body would start. */
function cutAtBrace(message: string): string {
  const brace = message.indexOf('{');
  return brace < 0 ? message : `${message.slice(0, brace).trimEnd()} (what it quoted is not shown)`;
}

/** `Code: Message` of a JSON error body, the message cut before any string to sign (which may hold a token). */
function errorBody(tail: string): string | undefined {
  const start = tail.indexOf('{');
  const end = tail.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(tail.slice(start, end + 1));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { Code: code, Message: text } = body as { Code?: unknown; Message?: unknown };
  if (typeof code !== 'string' || code === '' || code.length > 100) return undefined;
  if (typeof text !== 'string' || text === '') return code;
  const cut = text
    .split(/string to sign|StringToSign/i)[0]!
    .trim()
    .slice(0, MAX_MESSAGE);
  return cut ? `${code}: ${cut}` : code;
}
