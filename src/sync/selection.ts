/**
 * What of a log folder is TensorBoard's data (reference oss.md §8): event files (`*tfevents*`), whatever plugins
 * write below a `plugins/` folder (profiles, projector assets), the projector's config, plus the paths a user's
 * include patterns name. Paths are relative, with `/`.
 */

const defaults: readonly RegExp[] = [
  /(^|\/)[^/]*tfevents[^/]*$/,
  /(^|\/)plugins\/.+/,
  /(^|\/)projector_config\.pbtxt$/,
];

/** `**` any number of folders, `*` any run of characters within one name, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function tensorBoardSelection(include: readonly string[] = []): (path: string) => boolean {
  const patterns = [...defaults, ...include.map(globToRegExp)];
  return (path) => patterns.some((pattern) => pattern.test(path));
}

/** An event file: appended to while its run trains. */
export function isEventFile(path: string): boolean {
  return /tfevents/.test(path.slice(path.lastIndexOf('/') + 1));
}
