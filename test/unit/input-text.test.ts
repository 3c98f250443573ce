import { inputTextProblem, normalizeEmail } from '../../src/core/input-text';

const ok = (value: string, kind: 'line' | 'free' | 'email') => inputTextProblem(value, kind, 'f');

describe('input text kinds', () => {
  it('refuses broken Unicode and NUL in every kind', () => {
    for (const kind of ['line', 'free', 'email'] as const) {
      for (const bad of ['\ud800', 'a\udfffb', '\udbff\ud800', 'a\u0000b', '\u0000'])
        expect([kind, bad, ok(bad, kind)]).not.toContain(null);
    }
  });

  it('takes newline and tab in free text only, and no other control character anywhere', () => {
    for (const text of ['one\ntwo', 'one\r\ntwo', 'a\tb']) {
      expect(ok(text, 'free')).toBeNull();
      expect(ok(text, 'line')).toBe('f must not contain control characters');
    }
    for (const bad of ['\u0007', '\u001b[31m', '\r', 'a\rb', '\u007f', '\u0085', '\u000b']) {
      expect(ok(bad, 'free')).toBe('f must not contain control characters other than newline and tab');
    }
  });

  it('takes any well-formed text without control characters in a line, emoji and bidi marks included', () => {
    for (const text of ['', 'Zoë', '🦄👩‍👩‍👧‍👦', "' OR 1=1 --", 'a\u200bb', '\u202e', '𝔘']) expect(ok(text, 'line')).toBeNull();
  });

  it('checks emails as normalised, refusing invisible, bidirectional and zero-width characters', () => {
    expect(normalizeEmail('  Ann@Example.COM \n')).toBe('ann@example.com');
    for (const email of ['ann@example.com', ' Ann@Example.COM ', '\tann@example.com\n', 'not an email'])
      expect(ok(email, 'email')).toBeNull();
    for (const email of [
      'ann\u200b@example.com',
      'ann@exam\u200dple.com',
      '\u202eann@example.com',
      'ann\u2066@example.com',
      'an\u00adn@example.com',
      'ann@example.com\ufe0f',
      'a\u3164@example.com',
    ]) {
      expect([email, ok(email, 'email')]).toEqual([email, 'f must not contain invisible, bidirectional or zero-width characters']);
    }
  });
});
