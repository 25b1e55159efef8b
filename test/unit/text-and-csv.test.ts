import { describe, expect, it } from 'vitest';
import { cutText, illFormedTextPath, isWellFormedText, wellFormedText } from '#shared/kernel/text.ts';
import { csvCell } from '#shared/kernel/csv.ts';
import { snsSubject } from '#shared/adapters/sns/csm-push-publisher.ts';

describe('cutting text that leaves the system', () => {
  it('never splits an emoji, a flag or a family, and stays within the limit', () => {
    for (let at = 90; at <= 100; at++) {
      for (const emoji of ['😀', '🇩🇪', '👨‍👩‍👧‍👦', 'é']) {
        const text = `${'x'.repeat(at)}${emoji}${'y'.repeat(20)}`;
        const cut = cutText(text, 100);
        expect(cut.length).toBeLessThanOrEqual(100);
        expect(isWellFormedText(cut)).toBe(true);
        expect(text.startsWith(cut)).toBe(true);
        // The emoji is kept whole or dropped whole.
        expect(cut.length === at || cut.length >= at + emoji.length).toBe(true);
      }
    }
  });

  it('replaces lone surrogates and finds them in parsed JSON', () => {
    expect(wellFormedText('a\ud83db')).toBe('a\ufffdb');
    expect(wellFormedText('a😀b')).toBe('a😀b');
    expect(illFormedTextPath(JSON.parse('{"a":[1,{"b":"ok"},{"c":"x\\ud83d"}]}'))).toEqual(['a', 2, 'c']);
    expect(illFormedTextPath({ ok: ['😀'] })).toBeUndefined();
  });

  it('makes an SNS subject: under 100 characters, no control characters', () => {
    const subject = snsSubject(`Line one\nline two\t${'😀'.repeat(60)}`);
    expect(subject.length).toBeLessThan(100);
    // eslint-disable-next-line no-control-regex -- asserting that no control character is left
    expect(subject).not.toMatch(/[\u0000-\u001f]/);
    expect(isWellFormedText(subject)).toBe(true);
  });
});

describe('CSV cells', () => {
  it('neutralises formulas and quotes as RFC 4180 needs', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('SKU-1')).toBe('SKU-1');
    expect(csvCell('a,b')).toBe('"a,b"');
  });
});
