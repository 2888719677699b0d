import { xmlEscape } from './errors';
import type { ObjectInfo } from './store';

/** Answer bodies of the emulated OSS (oss.md §3.2, §3.3, §3), two-space indented as in the real fixtures. */

export type XmlNode = [name: string, content: string | number | boolean | XmlNode[]];

function render(nodes: readonly XmlNode[], depth: number): string {
  const pad = '  '.repeat(depth);
  return nodes
    .map(([name, content]) =>
      Array.isArray(content)
        ? `${pad}<${name}>\n${render(content, depth + 1)}${pad}</${name}>\n`
        : `${pad}<${name}>${xmlEscape(String(content))}</${name}>\n`,
    )
    .join('');
}

export function xmlDocument(root: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render([root], 0)}`;
}

export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

export function contentsNode(
  object: ObjectInfo,
  encodeKey: (key: string) => string,
  owner: XmlNode | undefined,
): XmlNode {
  return [
    'Contents',
    [
      ['Key', encodeKey(object.key)],
      ['LastModified', isoMs(object.lastModifiedMs)],
      ['ETag', object.etag],
      ['Type', object.type],
      ['Size', object.size],
      ['StorageClass', 'Standard'],
      ...(owner ? [owner] : []),
    ],
  ];
}

/** The parts of a CompleteMultipartUpload body, in the order given; undefined when the XML is not that. */
export function parseCompleteParts(xml: string): Array<{ partNumber: number; etag: string }> | undefined {
  if (!/<CompleteMultipartUpload[\s>]/.test(xml)) return undefined;
  const parts: Array<{ partNumber: number; etag: string }> = [];
  for (const match of xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const number = /<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(match[1]);
    const etag = /<ETag>([\s\S]*?)<\/ETag>/.exec(match[1]);
    if (!number || !etag) return undefined;
    parts.push({ partNumber: Number(number[1]), etag: etag[1].replace(/&quot;/g, '"').trim() });
  }
  return parts;
}
