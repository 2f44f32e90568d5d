import { CopyTextBuffer } from './staging.js';

describe('CopyTextBuffer', () => {
  it('keeps appended text in order, grows past its first size, and starts again after reset', () => {
    const b = new CopyTextBuffer(8);
    b.append('line 1\n');
    b.append('café, Ynys Môn\n'); // multi-byte characters count in bytes
    expect(b.bytes().toString('utf8')).toBe('line 1\ncafé, Ynys Môn\n');
    expect(b.length).toBe(Buffer.byteLength('line 1\ncafé, Ynys Môn\n'));
    b.reset();
    b.append('x\n');
    expect(b.bytes().toString('utf8')).toBe('x\n');
  });
});
