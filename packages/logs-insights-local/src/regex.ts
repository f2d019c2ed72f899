/**
 * Regular expressions as Logs Insights writes them (Java-style) for JavaScript: a leading `(?i)`
 * makes the whole expression case-insensitive, as JavaScript has no inline flags before Node 23.
 */
export function toRegExp(source: string, flags: string): RegExp {
  let body = source;
  let all = flags.replace(/[^imsu]/g, '');
  const inline = /^\(\?([imsx]+)\)/.exec(body);
  if (inline) {
    body = body.slice(inline[0].length);
    for (const flag of inline[1]) if (flag !== 'x' && !all.includes(flag)) all += flag;
  }
  return new RegExp(body, all);
}

/**
 * A `parse` glob as a regular expression: `*` captures as little as it can, except a trailing one,
 * which takes the rest; the rest of the pattern matches literally, anywhere in the value.
 */
export function globToRegExp(glob: string): RegExp {
  const parts = glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  let source = parts[0];
  for (let i = 1; i < parts.length; i++) {
    const last = i === parts.length - 1 && parts[i] === '';
    source += (last ? '(.*)' : '(.*?)') + parts[i];
  }
  return new RegExp(source, 's');
}
