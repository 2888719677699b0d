import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The project's root: this file runs from out/test/runner/ (or out/test/<suite>/ through an import). */
export const projectRoot = path.resolve(__dirname, '../../..');

interface Manifest {
  name: string;
  displayName: string;
  version: string;
  publisher: string;
  contributes: {
    commands?: Array<{ command: string; title: string; category?: string }>;
    viewsContainers?: { activitybar?: Array<{ id: string; title: string }> };
    views?: Record<string, Array<{ id: string; name: string }>>;
    viewsWelcome?: Array<{ view: string; contents: string }>;
    menus?: Record<string, Array<{ command: string; when?: string; group?: string }>>;
  };
}

/** package.json as the tests see it, with `%key%` strings resolved from package.nls.json as VS Code shows them. */
export function readManifest(root = projectRoot): Manifest {
  const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'), (_key, value: unknown) =>
    typeof value === 'string' && /^%[^%]+%$/.test(value) ? (nls[value.slice(1, -1)] ?? value) : value,
  ) as Manifest;
}

/** `publisher.name`, the id `vscode.extensions.getExtension` takes. */
export function extensionId(manifest = readManifest()): string {
  return `${manifest.publisher}.${manifest.name}`;
}

/** What the command palette shows for a contributed command, e.g. `PAI: Refresh TensorBoards`. */
export function paletteTitle(commandId: string, manifest = readManifest()): string {
  const command = manifest.contributes.commands?.find((c) => c.command === commandId);
  if (!command) throw new Error(`${commandId} is not in package.json's contributes.commands`);
  return command.category ? `${command.category}: ${command.title}` : command.title;
}

/** Where `npm run package` (scripts/package.mjs) writes the extension's package: `<name>-<version>.vsix` in the root. */
export function vsixPath(root = projectRoot, manifest = readManifest(root)): string {
  return path.join(root, `${manifest.name}-${manifest.version}.vsix`);
}
