// Streaming UTF-8 check of the raw bytes, before parsing: csv-parse and JSON.parse would otherwise turn
// bad bytes (a Latin-1 'é' = 0xE9) silently into U+FFFD. The fatal TextDecoder is the authority; a chunk
// that is complete, valid UTF-8 on its own (nearly all of them) takes node:buffer's native isUtf8 instead,
// which is ~50x faster than decoding to a string we would throw away.
import { isUtf8 } from 'node:buffer';
import { ImportFileError } from './import-error.js';

const LF = 0x0a;

// It also refuses NUL bytes (issue #18): no text field can hold one (PostgreSQL refuses U+0000 in text), and
// in a text extract a NUL means a binary or UTF-16 file. One native indexOf per chunk.
export class Utf8Guard {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private offset = 0; // bytes checked so far
  private lines = 1; // line of the next byte
  private tail = Buffer.alloc(0); // the incomplete sequence at the end of the last chunk, if any

  check(chunk: Buffer): void {
    if (this.tail.length === 0 && isUtf8(chunk)) {
      this.refuseNul(chunk);
      this.advance(chunk);
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch (cause) {
      this.fail(Buffer.concat([this.tail, chunk]), this.offset - this.tail.length, cause);
    }
    this.tail = Buffer.from(incompleteTail(Buffer.concat([this.tail, chunk])));
    this.refuseNul(chunk);
    this.advance(chunk);
  }

  end(): void {
    try {
      this.decoder.decode();
    } catch (cause) {
      throw new ImportFileError(
        'IMP-FILE-003',
        `file is not valid UTF-8: it ends inside a multi-byte character (byte offset ${this.offset - this.tail.length}, line ${this.lines})`,
        { byteOffset: this.offset - this.tail.length, line: this.lines },
        { cause },
      );
    }
  }

  private advance(chunk: Buffer): void {
    this.offset += chunk.length;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) this.lines++;
  }

  // After the UTF-8 check, so a UTF-16 file with a byte-order mark is still IMP-FILE-003.
  private refuseNul(chunk: Buffer): void {
    const at = chunk.indexOf(0);
    if (at === -1) return;
    let line = this.lines;
    for (let i = chunk.indexOf(LF); i !== -1 && i < at; i = chunk.indexOf(LF, i + 1)) line++;
    const byteOffset = this.offset + at;
    const utf16 = byteOffset <= 1 ? ' (it looks like UTF-16: save it as UTF-8)' : '';
    throw new ImportFileError(
      'IMP-FILE-007',
      `file contains a NUL byte (0x00) at byte offset ${byteOffset}, line ${line}${utf16}: a text extract has none`,
      { byteOffset, line },
    );
  }

  private fail(bytes: Buffer, startOffset: number, cause: unknown): never {
    const at = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, at);
    let line = this.lines;
    for (let i = before.indexOf(LF); i !== -1; i = before.indexOf(LF, i + 1)) line++;
    // this.lines already counts the tail's bytes, which hold no LF, so counting from `bytes` is exact.
    const byteOffset = startOffset + at;
    const utf16 =
      startOffset + at <= 1 && (bytes[0] === 0xff || bytes[0] === 0xfe)
        ? ' (it looks like UTF-16: save it as UTF-8)'
        : '';
    throw new ImportFileError(
      'IMP-FILE-003',
      `file is not valid UTF-8: byte 0x${bytes[at]?.toString(16).padStart(2, '0') ?? '??'} at byte offset ${byteOffset}, line ${line}${utf16}. ` +
        'Export the file as UTF-8 (not Windows-1252 or Latin-1)',
      { byteOffset, line },
      { cause },
    );
  }
}

// The trailing bytes of a sequence that a following chunk may still complete (empty if none).
function incompleteTail(bytes: Buffer): Buffer {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? bytes.subarray(bytes.length - back) : Buffer.alloc(0);
  }
  return Buffer.alloc(0);
}

// Index of the first byte that cannot start or continue a valid UTF-8 sequence (RFC 3629: no overlongs,
// no surrogates, nothing above U+10FFFF). Returns bytes.length if the bytes are valid.
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b === 0xe0) [need, min] = [2, 0xa0];
    else if (b === 0xed) [need, min, max] = [2, 0x80, 0x9f];
    else if (b >= 0xe1 && b <= 0xef) [need, min] = [2, 0x80];
    else if (b === 0xf0) [need, min] = [3, 0x90];
    else if (b === 0xf4) [need, min, max] = [3, 0x80, 0x8f];
    else if (b >= 0xf1 && b <= 0xf3) [need, min] = [3, 0x80];
    else return i;
    if (i + 1 >= bytes.length) return i; // truncated
    if (bytes[i + 1] < min || bytes[i + 1] > max) return i;
    for (let k = 2; k <= need; k++) {
      if (i + k >= bytes.length) return i;
      if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
