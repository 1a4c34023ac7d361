/**
 * gzip joined from parts compressed apart (server/web/gzip.ts): any parts, empty, one byte,
 * incompressible, long repeated text, accented letters, decode (CRC-32 and length checked) to
 * their concatenation; a member without its final block or with a wrong CRC does not.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { gzipDiParti, segmento } from '../../server/web/gzip';
import { mulberry32 } from '../support/rng';

const parte = (b: Buffer) => ({ testo: b, segmento: segmento(b) });

test('le parti compresse a sé, unite, danno la loro concatenazione', () => {
  const rnd = mulberry32(21);
  const generi = [
    () => Buffer.alloc(0),
    () => Buffer.from('x'),
    () => crypto.randomBytes(Math.floor(rnd() * 70_000)),
    () => Buffer.from('<tr><td>Cità di Sant\'Angelo</td><td>1.234</td></tr>\n'.repeat(Math.floor(rnd() * 5000))),
    () => Buffer.from('perché è così — «città»'),
  ];
  for (let caso = 0; caso < 60; caso++) {
    const parti = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => generi[Math.floor(rnd() * generi.length)]());
    const gz = gzipDiParti(parti.map(parte));
    expect(zlib.gunzipSync(gz).equals(Buffer.concat(parti))).toBe(true);
  }
});

test('senza il blocco finale, o con un CRC sbagliato, non si decodifica', () => {
  const gz = gzipDiParti([parte(Buffer.from('testa ')), parte(Buffer.from('corpo '.repeat(1000))), parte(Buffer.from(' coda'))]);
  expect(zlib.gunzipSync(gz).toString()).toBe(`testa ${'corpo '.repeat(1000)} coda`);
  const senzaFine = Buffer.concat([gz.subarray(0, gz.length - 10), gz.subarray(gz.length - 8)]);
  expect(() => zlib.gunzipSync(senzaFine)).toThrow();
  const crcErrato = Buffer.from(gz);
  crcErrato[crcErrato.length - 8] ^= 1;
  expect(() => zlib.gunzipSync(crcErrato)).toThrow();
});
