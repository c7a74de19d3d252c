import { describe, expect, it } from 'vitest';
import { fnv1a32 } from '../../src/data/hash.js';

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes (same as TextEncoder, so a browser agrees)', () => {
    const viaBytes = (s: string) => {
      let h = 0x811c9dc5;
      for (const b of new TextEncoder().encode(s)) h = Math.imul(h ^ b, 0x01000193);
      return h >>> 0;
    };
    for (const s of ['é', 'naïve', '日本語', '😀 emoji', 'lone \ud800 surrogate', 'x\udc00']) {
      expect(fnv1a32(s)).toBe(viaBytes(s));
    }
  });
});
