import type { IncomingHttpHeaders } from 'node:http';
import { ClientErrorCode, DlcError, errorFromBody } from './errors';

type ParseJson = (text: string) => unknown;
let parseJson: ParseJson | undefined;

/**
 * json-bigint as pop-core uses it (integers beyond 2^53 become BigNumber, objects have a null prototype), but a key
 * that merely contains `__proto__` or `constructor` (a job's `Envs` may hold one) is dropped instead of failing the
 * whole answer, json-bigint's default. Dropped, not kept: no field the client reads has such a key, and nothing
 * downstream then has to be careful with one. Required at the first answer, as pop-core is at the first signature
 * (both are dist/vendor.js in the bundle, esbuild.mjs).
 */
function jsonParser(): ParseJson {
  return (parseJson ??= (require('json-bigint/lib/parse.js') as (options: object) => ParseJson)({
    protoAction: 'ignore',
    constructorAction: 'ignore',
  }));
}

export type Reading = { ok: true; body: object } | { ok: false; error: DlcError };

export interface AnswerContext {
  operation: string;
  status: number;
  headers: IncomingHttpHeaders;
  secrets: readonly string[];
}

/**
 * What an answer means: a JSON object below 300 is the result; anything else is a DlcError carrying the HTTP status,
 * whose `retryable` then follows the status (429 and 5xx) and the code, never "could not reach".
 */
export function readAnswer(text: string, context: AnswerContext): Reading {
  const { operation, status, headers, secrets } = context;
  const contentType = headers['content-type']?.toLowerCase() ?? '';
  const failed = status < 200 || status >= 300;
  const common = { operation, httpStatus: status, retryAfterMs: retryAfterMs(headers), secrets };
  const error = (code: string, message: string): Reading => ({
    ok: false,
    error: new DlcError({ ...common, code, message }),
  });

  if (/^application\/([\w.-]+\+)?json\b/.test(contentType)) {
    const parse = jsonParser();
    let value: unknown;
    try {
      value = parse(text);
    } catch {
      return error(ClientErrorCode.BadResponse, `The response (HTTP ${status}) claims to be JSON but does not parse.`);
    }
    if (isObject(value)) return failed ? { ok: false, error: errorFromBody(value, common) } : { ok: true, body: value };
    if (failed)
      return error(
        `Http${status}`,
        `PAI-DLC answered HTTP ${status} with ${jsonKind(value)} instead of an error object.`,
      );
    return error(ClientErrorCode.BadResponse, `Expected a JSON object, got ${jsonKind(value)} (HTTP ${status}).`);
  }
  if (failed && (/\bxml\b/.test(contentType) || /^\s*</.test(text))) {
    const fields = xmlErrorFields(text);
    if (fields.Code) return { ok: false, error: errorFromBody(fields, common) };
  }
  const got = contentType || (text ? 'text' : 'an empty body');
  return error(ClientErrorCode.BadResponse, `Expected a JSON object, got ${got} (HTTP ${status}).`);
}

const isObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function jsonKind(value: unknown): string {
  if (value === null) return 'a JSON null';
  if (Array.isArray(value)) return 'a JSON array';
  return `a JSON ${typeof value}`;
}

/** The gateway's XML error shape: `<Error><RequestId/><HostId/><Code/><Message/></Error>` (reference §5.1). */
function xmlErrorFields(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of ['Code', 'Message', 'RequestId', 'HostId', 'Recommend']) {
    const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
    if (match) fields[name] = decodeXmlText(match[1]).trim();
  }
  return fields;
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXmlText(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => XML_ENTITIES[name]);
}

/** `x-acs-retry-after` (or `retry-after`) in seconds; an HTTP date or nonsense is ignored. */
export function retryAfterMs(headers: IncomingHttpHeaders | undefined): number | undefined {
  const value = headers?.['x-acs-retry-after'] ?? headers?.['retry-after'];
  const seconds = Number(Array.isArray(value) ? value[0] : value);
  return value !== undefined && value !== '' && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
