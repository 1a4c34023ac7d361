// Prints the text of a PDF as JSON: one array of lines per page, each line the text items that
// share a baseline, left to right. Run in its own process (pdfjs-dist is an ES module, which
// jest's CommonJS registry does not load). Usage: node testo-pdf.mjs FILE.pdf
import fs from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(fs.readFileSync(process.argv[2]));
const pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
const pagine = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const page = await pdf.getPage(n);
  const { items } = await page.getTextContent();
  const righe = new Map();
  for (const it of items) {
    if (!('str' in it) || it.str === '') continue;
    const y = Math.round(it.transform[5]);
    if (!righe.has(y)) righe.set(y, []);
    righe.get(y).push({ x: it.transform[4], w: it.width, s: it.str });
  }
  const linee = [...righe.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([, parti]) => {
      parti.sort((a, b) => a.x - b.x);
      let testo = '';
      let fine = null;
      for (const p of parti) {
        if (fine !== null && p.x - fine > 1.5) testo += ' ';
        testo += p.s;
        fine = p.x + p.w;
      }
      return testo;
    });
  pagine.push(linee);
}
process.stdout.write(JSON.stringify(pagine));
