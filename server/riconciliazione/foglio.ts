import fs from 'node:fs';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { excel } from '../shared/excel';
import type { AppContext } from '../context';
import { ETICHETTE, METRICHE } from './metriche';
import { dataEstrazione } from '../importazione/estrazione';
import { sql } from './sql';
import { giorno } from '../shared/formato';

export interface ExportOptions {
  comune?: string;
  /** Reference date E of the sheet (YYYY-MM-DD); default the SIZ extraction date, else today. */
  data?: string;
  oggi?: string;
}

export interface ExportResult {
  data_riferimento: string;
  periodo_inizio: string;
  files: string[];
}

/** What the letter of 7 October 2020 says each figure means (seeds/001), for the sheet. */
const SIGNIFICATO: Record<(typeof METRICHE)[number], string> = {
  cartelle_attive: 'Cartelle aperte alla data di riferimento (anche se aperte prima dell\'inizio del periodo). Una cartella di un nucleo di 4 persone conta 1. Escluse le cartelle di utenti che hanno solo pasti a domicilio e trasporti.',
  cartelle_attive_tutela: 'Delle cartelle attive, quante sono di tutela minori.',
  utenti_in_carico: 'Persone in carico alla data di riferimento: beneficiari di prestazioni a medio-lungo termine e componenti dello stesso nucleo presenti nella cartella. Esclusi gli utenti con solo pasti a domicilio e trasporti. Se non si dispone del numero preciso, indicare una stima.',
  utenti_in_carico_tutela: 'Degli utenti in carico, quelli in cartelle di tutela minori.',
  cartelle_aperte_periodo: 'Nuove cartelle aperte dall\'inizio del periodo alla data di riferimento.',
  utenti_nuovi_periodo: 'Nuovi utenti presi in carico dall\'inizio del periodo alla data di riferimento.',
  cartelle_chiuse_periodo: 'Cartelle chiuse dall\'inizio del periodo alla data di riferimento.',
  utenti_senza_cartella_periodo: 'Persone che hanno ricevuto prestazioni sociali senza che sia aperta una cartella (pasti a domicilio, trasporti, aiuto bollette...) nel periodo.',
};

const it = (d: string) => giorno(d);

function slug(nome: string): string {
  return nome
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * `cruscotto export censimento`: one XLSX per active comune in the census format of the data
 * contract, with the comune's SIZ counts at E beside empty declaration cells and an instruction
 * sheet. The first sheet, `Censimento`, re-imports as it is with `cruscotto import censimento`
 * (the `siz_*` columns are ignored by the importer, with a warning).
 */
export async function exportCensimento(ctx: AppContext, dir: string, opts: ExportOptions = {}): Promise<ExportResult> {
  const oggi = opts.oggi ?? ctx.clock.today();
  const E = opts.data ?? (await dataEstrazione(ctx.db)) ?? oggi;
  const params = {
    data_rif: E,
    e_default: E,
    comune: opts.comune ?? null,
    obiettivo: String(ctx.config.obiettivo),
    soglia: String(ctx.config.sogliaCritica),
    oggi,
  };
  // The census round at E, if one exists already, keeps its own periodo_inizio.
  const rows: Record<string, any>[] = (await ctx.db.knex.raw(`${sql('contesto')}${sql('metriche')} select * from risultato order by codice_istat`, params)).rows;
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const r of rows) {
    const file = path.join(dir, `censimento_${r.codice_istat}_${slug(r.nome)}.xlsx`);
    await writeWorkbook(file, r);
    files.push(file);
  }
  const Ps = rows[0]?.periodo_inizio ?? `${E.slice(0, 4)}-01-01`;
  return { data_riferimento: E, periodo_inizio: Ps, files };
}

const GIALLO: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const GRIGIO: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };

async function writeWorkbook(file: string, r: Record<string, any>): Promise<void> {
  const wb = new (excel().Workbook)();
  wb.creator = 'Cruscotto Digitalizzazione - Ufficio di Piano';
  const ws = wb.addWorksheet('Censimento', { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
  const header = ['codice_istat', 'comune', 'data_riferimento', 'periodo_inizio', ...METRICHE.flatMap((m) => [m, `siz_${m}`]), 'note'];
  const values = [r.codice_istat, r.nome, r.data_conteggio, r.periodo_inizio, ...METRICHE.flatMap((m) => [null, r[`${m}_siz`]]), null];
  ws.addRow(header);
  ws.addRow(values);
  ws.getRow(1).font = { bold: true };
  header.forEach((h, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.max(14, h.length + 2);
    const cell = ws.getCell(2, i + 1);
    if (h.startsWith('siz_')) {
      cell.fill = GRIGIO;
      ws.getCell(1, i + 1).fill = GRIGIO;
    } else if ((METRICHE as readonly string[]).includes(h)) {
      cell.fill = GIALLO;
      ws.getCell(1, i + 1).fill = GIALLO;
      cell.dataValidation = {
        type: 'whole',
        operator: 'greaterThanOrEqual',
        allowBlank: true,
        formulae: [0],
        showErrorMessage: true,
        errorTitle: 'Valore non valido',
        error: 'Indicare un numero intero maggiore o uguale a zero.',
      };
    }
  });
  // Codes and dates are text, so Excel keeps the leading zeros and the ISO form.
  for (const c of [1, 3, 4]) ws.getCell(2, c).numFmt = '@';

  const ist = wb.addWorksheet('Istruzioni');
  ist.getColumn(1).width = 34;
  ist.getColumn(2).width = 110;
  const lines: [string, string][] = [
    ['Censimento delle pratiche sociali', `${r.nome} (ISTAT ${r.codice_istat})`],
    ['Data di riferimento', `${it(r.data_conteggio)} (periodo dal ${it(r.periodo_inizio)} al ${it(r.data_conteggio)})`],
    ['', ''],
    ['Come compilare', 'Nel foglio "Censimento", riga 2, scrivere nelle celle gialle i valori del Comune alla data di riferimento (numeri interi, 0 se non ce ne sono).'],
    ['', 'Le colonne grigie "siz_..." riportano quanto risulta oggi nel SIZ alla stessa data: servono da confronto e non vanno modificate (vengono ignorate al caricamento).'],
    ['', 'La colonna cartelle_attive è obbligatoria; le altre si possono lasciare vuote se il dato non è disponibile. Non modificare le intestazioni della riga 1, il codice ISTAT né le date.'],
    ['', 'Restituire il file all\'Ufficio di Piano: verrà caricato così com\'è.'],
    ['', ''],
    ['Voce', 'Cosa significa'],
    ...METRICHE.map((m): [string, string] => [`${m}`, `${ETICHETTE[m]}. ${SIGNIFICATO[m]}`]),
  ];
  for (const l of lines) ist.addRow(l);
  ist.getRow(1).font = { bold: true, size: 14 };
  ist.getRow(9).font = { bold: true };
  ist.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  await wb.xlsx.writeFile(file);
}
