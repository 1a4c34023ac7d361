/**
 * The varied small ambito of the facts' tests (test/fatti/fatti.test.ts,
 * test/fatti/due-connessioni.test.ts): nine comuni of Lodi and a SIZ extract over them.
 */
import { buildCf } from '../../../server/shared/cf';
import { mulberry32 as rng } from '../../support/rng';

export const COMUNI: [string, string, number, string][] = [
  ['098031', 'Lodi', 45000, 'Lodi'],
  ['098010', 'Brembio', 2800, 'Casalpusterlengo'],
  ['098047', "Sant'Angelo Lodigiano", 13000, "Sant'Angelo Lodigiano"],
  ['098001', 'Abbadia Cerreto', 300, 'Lodi'],
  ['098002', 'Bertonico', 1100, 'Casalpusterlengo'],
  ['098003', 'Boffalora d\'Adda', 1700, 'Lodi'],
  ['098004', 'Borghetto Lodigiano', 4300, "Sant'Angelo Lodigiano"],
  ['098005', 'Borgo San Giovanni', 2400, "Sant'Angelo Lodigiano"],
  ['098019', 'Casalpusterlengo', 15000, 'Casalpusterlengo'],
];
const AREE = ['minori', 'adulti', 'anziani', ''];
const MOTIVI = ['CONTRIBUTO ECONOMICO', 'CASA', 'LAVORO', 'SALUTE', ''];
const PROBLEMI = ["PRECARIETA' ECONOMICA", 'DISOCCUPAZIONE', 'PROBLEMI ABITATIVI', 'DISAGIO', ''];

/**
 * A SIZ extract over the nine comuni (and one outside the registry, 099999, whose rows are "non
 * attribuiti") from 2022 to November 2026, every field varied by the seed; `nAccessi` accessi.
 */
export function estratto(seme: number, nAccessi = 320): Record<string, string> {
  const r = rng(seme);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const giorno = (da: number, a: number) => {
    const t = Date.UTC(da, 0, 1) + Math.floor(r() * (Date.UTC(a, 10, 20) - Date.UTC(da, 0, 1)));
    return new Date(t).toISOString().slice(0, 10);
  };
  const cf = (i: number) => buildCf('RSS', 'MRA', `19${String(30 + (i % 70)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`, i % 2 ? 'F' : 'M', 'E648');
  const istat = () => (r() < 0.05 ? '099999' : pick(COMUNI)[0]);
  const cartelle = ['id_cartella;codice_istat;data_apertura;data_chiusura;area_utenza;tutela_minori;operatore_id'];
  const membri = ['id_cartella;codice_fiscale;ruolo;data_inizio;data_fine;data_nascita'];
  const accessi = ['id_accesso;codice_fiscale;codice_istat;data_accesso;data_nascita;area_utenza;motivo_accesso;problema_riscontrato;punto_accesso'];
  const prestazioni = ['id_prestazione;id_cartella;codice_fiscale;codice_istat;codice_prestazione;descrizione;data_erogazione;costo;quota_comune;recupero_assistito;recupero_famiglia;recupero_altri_enti;recupero_altri'];
  const ids: string[] = [];
  for (let i = 1; i <= 90; i++) {
    const id = `C${String(i).padStart(4, '0')}`;
    ids.push(id);
    const apertura = giorno(2019, 2026);
    const chiusura = r() < 0.4 ? giorno(Number(apertura.slice(0, 4)), 2026) : '';
    cartelle.push([id, istat(), apertura, chiusura && chiusura >= apertura ? chiusura : '', pick(AREE), r() < 0.3 ? 'sì' : 'no', `OP${i % 5}`].join(';'));
    membri.push([id, cf(i % 70), 'titolare', r() < 0.5 ? apertura : '', '', ''].join(';'));
    if (r() < 0.5) membri.push([id, cf(100 + (i % 40)), 'componente', '', '', r() < 0.5 ? `19${String(50 + (i % 40))}-05-20` : ''].join(';'));
  }
  for (let i = 1; i <= nAccessi; i++) {
    const senzaCf = r() < 0.08;
    accessi.push([`A${String(i).padStart(4, '0')}`, senzaCf ? '' : cf(Math.floor(r() * 120)), istat(), giorno(2022, 2026), '', pick(AREE), pick(MOTIVI), pick(PROBLEMI), `Sportello ${i % 4}`].join(';'));
  }
  for (let i = 1; i <= 220; i++) {
    const conCartella = r() < 0.7;
    const costo = 50 + Math.floor(r() * 500);
    prestazioni.push([`P${String(i).padStart(4, '0')}`, conCartella ? pick(ids) : '', cf(Math.floor(r() * 120)), istat(), `A1.0${1 + Math.floor(r() * 5)}.01-BUONI SPESA`, 'Buoni spesa', giorno(2022, 2026), `${costo},50`, r() < 0.5 ? `${Math.floor(costo / 2)},25` : '', r() < 0.3 ? '10' : '', r() < 0.2 ? '5,5' : '', '', ''].join(';'));
  }
  const file = (lines: string[]) => lines.join('\n') + '\n';
  return { 'cartelle.csv': file(cartelle), 'membri.csv': file(membri), 'accessi.csv': file(accessi), 'prestazioni.csv': file(prestazioni), 'estrazione.txt': '2026-11-21\n' };
}
