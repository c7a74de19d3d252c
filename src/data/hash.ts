// FNV-1a, 32 bit, over the UTF-8 bytes of a string. Used for `encoding: hash` and for
// hashing out-of-vocabulary values into their buckets, so the ids must be the same in Node
// and in a browser bundle: hence plain integer arithmetic (Math.imul) and a hand-written
// UTF-8 walk instead of TextEncoder allocations or a platform hash.
//
// Reference values (http://www.isthe.com/chongo/tech/comp/fnv/): "" -> 0x811c9dc5,
// "a" -> 0xe40c292c, "foobar" -> 0xbf9cf968.

export const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of the UTF-8 encoding of `text`, as an unsigned 32-bit integer. */
export function fnv1a32(text: string, basis: number = FNV_OFFSET_BASIS): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV_PRIME);
      continue;
    }
    // Combine a surrogate pair into one code point; a lone surrogate is encoded as U+FFFD,
    // exactly as TextEncoder would, so the hash equals FNV-1a of TextEncoder's bytes.
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      c = 0xfffd;
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV_PRIME);
    } else if (c < 0x10000) {
      h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME);
    } else {
      h = Math.imul(h ^ (0xf0 | (c >> 18)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 12) & 0x3f)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME);
    }
    h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
  }
  return h >>> 0;
}
