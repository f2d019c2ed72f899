/**
 * The top-level keys of one JSON object line, decoded, in the order they are written — read from the
 * text itself, so a key written twice is listed twice (JSON.parse keeps only the last one, which is
 * how a forged duplicate would win). Returns undefined when the text is not one JSON object.
 */
export function topLevelKeys(text: string): string[] | undefined {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) return undefined;
      if (depth === 1 && expectKey) {
        try {
          keys.push(JSON.parse(text.slice(i, end + 1)) as string);
        } catch {
          return undefined;
        }
        expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = c === '{' && depth === 1;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1) {
      expectKey = true;
    }
  }
  return depth === 0 ? keys : undefined;
}
