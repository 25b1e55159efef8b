/**
 * Text that leaves the system (push subjects, SNS messages, queue attributes) is cut and cleaned here, never with
 * `slice`: `slice(0, n)` can split a surrogate pair (an emoji) into a lone surrogate, which is not Unicode text,
 * and a serialiser or a subscriber then rejects the whole message.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** True when `text` has no lone surrogate (every UTF-16 string that is valid Unicode). */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** `text` with every lone surrogate replaced by U+FFFD, as a UTF-8 encoder would. */
export function wellFormedText(text: string): string {
  return isWellFormedText(text) ? text : text.replace(LONE_SURROGATES, '\uFFFD');
}

/**
 * At most `maxUnits` UTF-16 code units of `text` (so within any limit counted in characters or code units),
 * cut between grapheme clusters: an emoji, a flag or a letter with its accents is kept whole or dropped whole.
 * The result is well-formed text.
 */
export function cutText(text: string, maxUnits: number): string {
  const clean = wellFormedText(text);
  if (clean.length <= maxUnits) return clean;
  let end = 0;
  for (const { segment } of graphemes.segment(clean)) {
    if (end + segment.length > maxUnits) break;
    end += segment.length;
  }
  return clean.slice(0, end);
}

/** Where in a parsed JSON value a string holds a lone surrogate (`subject`, `items.2.name`); undefined when none does. */
export function illFormedTextPath(value: unknown, path: readonly (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === 'string') return isWellFormedText(value) ? undefined : [...path];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedTextPath(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = illFormedTextPath(key, [...path, key]) ?? illFormedTextPath(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
