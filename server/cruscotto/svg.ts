import type { Grafico, Indicatore } from './documento';
import { dataIt, numIt } from './testi';

/**
 * Charts drawn on the server as plain SVG (presentation attributes only: the CSP forbids style
 * attributes): the headline bar against the target on the overview and the scorecard, and the
 * printed handout's two charts. They show without JavaScript, print at any size, read in black
 * and white, and cost the phone nothing; ApexCharts draws the others (views/public/js).
 */

export const esc = (t: string) => t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * A horizontal bar from 0 to 100% with the target as a dashed line across it, labelled. Black
 * and white: a dark bar on a white track framed in black; the value written next to the bar.
 */
export function svgBarraObiettivo(valore: Indicatore['valore'], obiettivo: number, descrizione: string): string {
  const W = 480;
  const H = 74;
  const x0 = 8;
  const x1 = W - 8;
  const x = (p: number) => r1(x0 + ((x1 - x0) * Math.max(0, Math.min(100, p))) / 100);
  const yBar = 22;
  const hBar = 22;
  const parti: string[] = [];
  parti.push(`<rect x="${x0}" y="${yBar}" width="${x1 - x0}" height="${hBar}" fill="#ffffff" stroke="#1a1a1a" stroke-width="1"/>`);
  if (typeof valore === 'number') {
    parti.push(`<rect class="barra-valore" x="${x0}" y="${yBar}" width="${r1(x(valore) - x0)}" height="${hBar}" fill="#17324d"/>`);
    const dentro = valore >= 18;
    parti.push(
      `<text x="${dentro ? r1(x(valore) - 5) : r1(x(valore) + 5)}" y="${yBar + 15.5}" font-size="13" font-weight="700" text-anchor="${dentro ? 'end' : 'start'}" fill="${dentro ? '#ffffff' : '#1a1a1a'}">${esc(`${numIt(valore)}%`)}</text>`,
    );
  } else {
    parti.push(`<text x="${x0 + 6}" y="${yBar + 15.5}" font-size="12" fill="#1a1a1a">${esc(valore == null ? 'non calcolabile' : `${valore}`)}</text>`);
  }
  const xo = x(obiettivo);
  parti.push(`<line class="linea-obiettivo" x1="${xo}" x2="${xo}" y1="${yBar - 8}" y2="${yBar + hBar + 6}" stroke="#a61919" stroke-width="2.5" stroke-dasharray="4 2"/>`);
  parti.push(`<text x="${xo}" y="${yBar - 11}" font-size="11" font-weight="700" text-anchor="middle" fill="#1a1a1a">${esc(`Obiettivo ${numIt(obiettivo)}%`)}</text>`);
  for (const t of [0, 20, 40, 60, 80, 100]) {
    parti.push(`<text x="${x(t)}" y="${yBar + hBar + 19}" font-size="10" text-anchor="${t === 0 ? 'start' : t === 100 ? 'end' : 'middle'}" fill="#1a1a1a">${t}%</text>`);
  }
  return `<svg class="svg-stampa svg-obiettivo" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(descrizione)}" xmlns="http://www.w3.org/2000/svg" font-family="Titillium Web, Geneva, Tahoma, sans-serif"><title>${esc(descrizione)}</title>${parti.join('')}</svg>`;
}

/**
 * The trend: one point per reconciliation day, the forecast to the target (dashed), the target
 * line and the deadline as a vertical line, on a time axis that always reaches the deadline.
 */
export function svgAndamento(g: Grafico | undefined, obiettivo: number, descrizione: string): string {
  const W = 480;
  const H = 150;
  const sx = 34;
  const dx = W - 10;
  const sy = 12;
  const gy = H - 24;
  const date = g?.date ?? [];
  const digit = g?.serie[0]?.dati ?? [];
  const prev = g?.serie[1]?.dati ?? [];
  const scadenza = g?.marcatore?.data ?? null;
  const giorno = (d: string) => Date.parse(`${d.slice(0, 10)}T12:00:00Z`) / 86_400_000;
  const tutti = [...date, ...(scadenza ? [scadenza] : [])].map(giorno);
  const parti: string[] = [];
  const y = (p: number) => r1(gy - ((gy - sy) * Math.max(0, Math.min(100, p))) / 100);
  for (const t of [0, 50, 100]) {
    parti.push(`<line x1="${sx}" x2="${dx}" y1="${y(t)}" y2="${y(t)}" stroke="#bfbfbf" stroke-width="0.6"/>`);
    parti.push(`<text x="${sx - 4}" y="${y(t) + 3.5}" font-size="9.5" text-anchor="end" fill="#1a1a1a">${t}%</text>`);
  }
  parti.push(`<line class="linea-obiettivo" x1="${sx}" x2="${dx}" y1="${y(obiettivo)}" y2="${y(obiettivo)}" stroke="#a61919" stroke-width="2" stroke-dasharray="5 3"/>`);
  parti.push(`<text x="${sx + 3}" y="${y(obiettivo) - 4}" font-size="10" font-weight="700" fill="#1a1a1a">${esc(`Obiettivo ${numIt(obiettivo)}%`)}</text>`);
  if (tutti.length) {
    let min = Math.min(...tutti);
    let max = Math.max(...tutti);
    if (max - min < 30) {
      min -= 15;
      max += 15;
    }
    const pad = (max - min) * 0.04;
    const x = (d: string) => r1(sx + ((dx - sx) * (giorno(d) - (min - pad))) / (max + pad - (min - pad)));
    const linea = (serie: (number | null)[], attr: string) => {
      const pts = serie.map((v, i) => (v == null ? null : `${x(date[i])},${y(v)}`)).filter((p): p is string => p != null);
      if (pts.length > 1) parti.push(`<polyline points="${pts.join(' ')}" fill="none" ${attr}/>`);
      for (const p of pts) {
        const [px, py] = p.split(',');
        parti.push(`<circle cx="${px}" cy="${py}" r="2.8" fill="#17324d"/>`);
      }
    };
    linea(digit, 'stroke="#17324d" stroke-width="2.2"');
    linea(prev, 'stroke="#17324d" stroke-width="1.4" stroke-dasharray="3 3"');
    if (scadenza) {
      const xs = x(scadenza);
      parti.push(`<line class="linea-scadenza" x1="${xs}" x2="${xs}" y1="${sy}" y2="${gy}" stroke="#1a1a1a" stroke-width="1.4" stroke-dasharray="2 2"/>`);
      parti.push(`<text x="${xs - 3}" y="${sy + 9}" font-size="9.5" text-anchor="end" fill="#1a1a1a">${esc(`Scadenza ${dataIt(scadenza)}`)}</text>`);
    }
    const prima = date[0];
    const ultima = [...date, ...(scadenza ? [scadenza] : [])].sort().pop()!;
    parti.push(`<text x="${x(prima)}" y="${H - 8}" font-size="9.5" text-anchor="start" fill="#1a1a1a">${esc(dataIt(prima))}</text>`);
    if (ultima !== prima) parti.push(`<text x="${x(ultima)}" y="${H - 8}" font-size="9.5" text-anchor="end" fill="#1a1a1a">${esc(dataIt(ultima))}</text>`);
  } else {
    parti.push(`<text x="${sx + 8}" y="${gy - 30}" font-size="11" fill="#1a1a1a">Nessuna riconciliazione ancora eseguita.</text>`);
  }
  parti.push(`<line x1="${sx}" x2="${dx}" y1="${gy}" y2="${gy}" stroke="#1a1a1a" stroke-width="1"/>`);
  return `<svg class="svg-stampa svg-andamento" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(descrizione)}" xmlns="http://www.w3.org/2000/svg" font-family="Titillium Web, Geneva, Tahoma, sans-serif"><title>${esc(descrizione)}</title>${parti.join('')}</svg>`;
}

