// A UTF-8 validator that says where the first invalid byte is (TextDecoder's fatal mode only
// says that there is one). Used on the failure path of readCsv, to name the line.

export interface Utf8Scan {
  /** Offset of the first byte of the first invalid sequence, if any. */
  invalid: number | undefined;
  /** Bytes up to the last complete character (a character cut at the end is not invalid
   * unless `final`). */
  complete: number;
}

/** Scans `bytes` per the Unicode standard's well-formed UTF-8 table (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
export function firstInvalidUtf8(bytes: Uint8Array, final: boolean): Utf8Scan {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return { invalid: i, complete: i };
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return final ? { invalid: i, complete: i } : { invalid: undefined, complete: i };
      const c = bytes[i + k];
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return { invalid: i, complete: i };
    }
    i += need + 1;
  }
  return { invalid: undefined, complete: n };
}

/** The length of `bytes` without a multi-byte character cut at its end (the rest belongs to
 * the next chunk). Invalid bytes are left for the validator to find. */
export function completeUtf8Length(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const b = bytes[n - k];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > k ? n - k : n;
  }
  return n;
}
