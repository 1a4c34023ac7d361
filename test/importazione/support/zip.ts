/**
 * A minimal zip writer for building test workbooks by hand (exceljs would hold a 300 MB string
 * in memory to write it). Entries are deflated; a large entry is given as a generator of chunks
 * and streamed through deflate, so the test itself stays small. `dichiarata` overrides the
 * uncompressed size written in the headers: a zip that lies about it.
 */
import zlib from 'node:zlib';

export interface VoceZip {
  nome: string;
  dati: Buffer | (() => Iterable<Buffer>);
  dichiarata?: number;
}

/**
 * A chunk's deflated bytes, by the chunk: a bomb yields the same 1 MB buffer hundreds of times,
 * and deflating each alike was seconds of a test's CPU. The same bytes give the same output, so
 * a chunk seen before (the same buffer, still with the same content) reuses it.
 */
const deflated = new WeakMap<Buffer, { copia: Buffer; compressi: Buffer }>();

function deflateChunk(chunk: Buffer): Buffer {
  const seen = deflated.get(chunk);
  if (seen && seen.copia.equals(chunk)) return seen.compressi;
  const compressi = zlib.deflateRawSync(chunk, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  deflated.set(chunk, { copia: Buffer.from(chunk), compressi });
  return compressi;
}

function deflate(dati: VoceZip['dati']): { compressi: Buffer; crc: number; size: number } {
  if (Buffer.isBuffer(dati)) return { compressi: zlib.deflateRawSync(dati), crc: zlib.crc32(dati), size: dati.length };
  let crc = 0;
  let size = 0;
  const parts: Buffer[] = [];
  // Each chunk deflated on its own and ended by a sync flush (no final block): raw deflate
  // streams joined this way are one valid stream, closed by a last, final, empty block.
  for (const chunk of dati()) {
    crc = zlib.crc32(chunk, crc);
    size += chunk.length;
    parts.push(deflateChunk(chunk));
  }
  parts.push(zlib.deflateRawSync(Buffer.alloc(0)));
  return { compressi: Buffer.concat(parts), crc, size };
}

export function zip(voci: VoceZip[]): Buffer {
  const locali: Buffer[] = [];
  const centrali: Buffer[] = [];
  let offset = 0;
  for (const v of voci) {
    const { compressi, crc, size } = deflate(v.dati);
    const nome = Buffer.from(v.nome);
    const dichiarata = v.dichiarata ?? size;
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0, 6);
    h.writeUInt16LE(8, 8);
    h.writeUInt32LE(crc >>> 0, 14);
    h.writeUInt32LE(compressi.length, 18);
    h.writeUInt32LE(dichiarata, 22);
    h.writeUInt16LE(nome.length, 26);
    locali.push(h, nome, compressi);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc >>> 0, 16);
    c.writeUInt32LE(compressi.length, 20);
    c.writeUInt32LE(dichiarata, 24);
    c.writeUInt16LE(nome.length, 28);
    c.writeUInt32LE(offset, 42);
    centrali.push(c, nome);
    offset += 30 + nome.length + compressi.length;
  }
  const cd = Buffer.concat(centrali);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(voci.length, 8);
  end.writeUInt16LE(voci.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locali, cd, end]);
}

/** A census workbook (sheet "Censimento") whose `note` cell holds `note`, as a shared string. */
export function censimentoXlsx(note: VoceZip['dati'], dichiarata?: number): Buffer {
  const x = (s: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`);
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const r = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const sharedStrings = Buffer.isBuffer(note)
    ? x(`<sst ${ns} count="1" uniqueCount="1"><si><t>${note.toString()}</t></si></sst>`)
    : () =>
        (function* () {
          yield x(`<sst ${ns} count="1" uniqueCount="1"><si><t>`);
          yield* note();
          yield Buffer.from('</t></si></sst>');
        })();
  const cell = (ref: string, v: string) => `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
  const header = ['codice_istat', 'data_riferimento', 'cartelle_attive', 'note'];
  return zip([
    { nome: '[Content_Types].xml', dati: x(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`) },
    { nome: '_rels/.rels', dati: x(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`) },
    { nome: 'xl/workbook.xml', dati: x(`<workbook ${ns} ${r}><sheets><sheet name="Censimento" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    { nome: 'xl/_rels/workbook.xml.rels', dati: x(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`) },
    { nome: 'xl/sharedStrings.xml', dati: sharedStrings, dichiarata },
    {
      nome: 'xl/worksheets/sheet1.xml',
      dati: x(`<worksheet ${ns}><sheetData><row r="1">${header.map((h, i) => cell(`${'ABCD'[i]}1`, h)).join('')}</row><row r="2">${cell('A2', '098031')}${cell('B2', '2026-06-30')}<c r="C2"><v>10</v></c><c r="D2" t="s"><v>0</v></c></row></sheetData></worksheet>`),
    },
  ]);
}
