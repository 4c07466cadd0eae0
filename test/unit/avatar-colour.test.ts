import crypto from 'crypto';
import { decodeBase64, sniffImageType } from '../../src/plugins/avatar/image';
import { consistentHue } from '../../src/ui/consistentColor';
import { sha1, toHex } from '../../src/util/sha1';

describe('XEP-0392 consistent colour', () => {
  // the test vectors of XEP-0392 §13 (hue angle in degrees)
  it.each([
    ['Romeo', 327.255249],
    ['juliet@capulet.lit', 209.4104],
    ['😺', 331.199341],
    ['council', 359.994507],
  ])('%s → %f°', (input, angle) => {
    expect(consistentHue(input)).toBeCloseTo(angle, 5);
  });
});

describe('sha1', () => {
  it.each([0, 1, 55, 56, 63, 64, 65, 1000])('matches node:crypto for %i bytes', (n) => {
    const data = crypto.randomBytes(n);
    expect(toHex(sha1(new Uint8Array(data)))).toBe(crypto.createHash('sha1').update(data).digest('hex'));
  });
});

describe('avatar images', () => {
  it('knows PNG, JPEG, GIF and WebP by their bytes, and nothing else', () => {
    expect(sniffImageType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImageType(new TextEncoder().encode('GIF89a'))).toBe('image/gif');
    expect(sniffImageType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffImageType(new Uint8Array([]))).toBeUndefined();
  });
  it('decodes base64 with line breaks, refuses garbage', () => {
    expect(Array.from(decodeBase64('AQID\nBA==')!)).toEqual([1, 2, 3, 4]);
    expect(decodeBase64('not base64!')).toBeUndefined();
  });
});
