// CRC-32 (IEEE 802.3, the zlib/PNG polynomial 0xEDB88320, reflected). Saved models record the
// CRC of every file they consist of, so any corruption (a flipped bit, a truncated copy, a
// file left over from an interrupted save) is detected on load instead of loading wrong numbers.
// It detects every error burst up to 32 bits; it is a corruption check, not a signature.

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of `bytes` as an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** CRC-32 as 8 lowercase hex digits, the form written into model.json. */
export function crc32Hex(bytes: Uint8Array | string): string {
  const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return crc32(b).toString(16).padStart(8, '0');
}
