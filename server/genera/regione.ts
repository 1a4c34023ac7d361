/**
 * A synthetic region for the load test: ~1,500 comuni in ~90 ambiti, ~10 million
 * residents, with a population distribution like a large Italian region (half of the
 * comuni under 3,000 residents, a handful over 100,000).
 */
import { Rng } from './rng';
import { Comune, assegnaEmail } from './comuni';

/**
 * Populations of `n` comuni summing exactly to `totale`: log-normal (median ~3,000,
 * sigma 1.25) rescaled to the total, with a floor of 40 residents. Pure function of rng.
 */
export function popolazioniRegione(rng: Rng, n: number, totale: number): number[] {
  const raw: number[] = [];
  for (let i = 0; i < n; i++) raw.push(Math.exp(Math.log(3000) + 1.25 * rng.normal()));
  const sum = raw.reduce((a, b) => a + b, 0);
  const pops = raw.map((x) => Math.max(40, Math.round((x * totale) / sum)));
  // Put the rounding difference on the largest comune so the total is exact.
  let maxI = 0;
  for (let i = 1; i < n; i++) if (pops[i] > pops[maxI]) maxI = i;
  pops[maxI] += totale - pops.reduce((a, b) => a + b, 0);
  return pops;
}

const RADICI = [
  'Arcor', 'Bernar', 'Caron', 'Dover', 'Gorl', 'Lurat', 'Mozz', 'Pessan', 'Rovell', 'Seregn', 'Trezz', 'Vimerc',
  'Albin', 'Bagn', 'Calc', 'Cassan', 'Cernusc', 'Chiar', 'Cologn', 'Cremell', 'Desi', 'Gaggian', 'Gallar', 'Inver',
  'Lentat', 'Limbiat', 'Marzan', 'Melegn', 'Merat', 'Nerv', 'Oggion', 'Olgiat', 'Pader', 'Paull', 'Pozz', 'Rodan',
  'Roncadell', 'Sedrian', 'Solar', 'Sulbiat', 'Trucc', 'Usmat', 'Vaprian', 'Vedan', 'Verdell', 'Vigan', 'Zibid', 'Bussol',
  'Castan', 'Cavri', 'Cisan', 'Cornat', 'Fagnan', 'Gessat', 'Lainat', 'Magent', 'Mediglian', 'Ornag', 'Pogliar', 'Robecc',
];
const FINALI = ['ate', 'ago', 'ano', 'ello', 'one', 'ino', 'asco', 'engo', 'era', 'ore', 'ù', 'à', 'olo', 'ate'];
const PREFISSI = ['', '', '', '', 'San ', 'Santa ', "Sant'", 'Castel ', 'Borgo ', 'Villa ', 'Monte ', 'Ponte ', 'Torre '];
const QUALIFICHE = [
  '', '', '', '', '', '', " d'Adda", ' sul Serio', ' al Brembo', ' Lomellina', ' Superiore', ' Inferiore', ' con Uniti',
  ' sul Naviglio', ' di Sopra', ' Mantovano', ' Cremasco', ' Bergamasco', ' Lodigiano', ' Pavese', ' Brianza',
];

function nomeSintetico(rng: Rng): string {
  const pre = rng.pick(PREFISSI);
  let radice = rng.pick(RADICI) + rng.pick(FINALI);
  // "Sant'" only before a vowel, as in Italian spelling.
  const p = pre === "Sant'" && !/^[AEIOU]/.test(radice) ? 'San ' : pre;
  if (p === 'Santa ') radice = radice.replace(/(ù|à|o|e)$/, 'a');
  return p + radice + rng.pick(QUALIFICHE);
}

/**
 * The synthetic scales: the region of the load test and a quarter of it (the middle point of the
 * benchmark's growth curve, docs/scaling.md). Same rates, same shape, fewer comuni.
 */
export const DIMENSIONI = {
  regione: { comuni: 1500, ambiti: 90, popolazione: 10_000_000, anagrafe: 1_000_000 },
  quarto: { comuni: 375, ambiti: 23, popolazione: 2_500_000, anagrafe: 250_000 },
} as const;
export type ScalaSintetica = keyof typeof DIMENSIONI;

/**
 * The region's comuni sorted by code. Codes are fake (province prefix 101-112 + sequence)
 * so they cannot be mistaken for real ISTAT codes; Belfiore codes start with W or Y,
 * letters no real Italian cadastral code uses, so synthetic CFs never collide with the
 * ones of people born elsewhere (real codes).
 */
export function comuniRegione(seme: number, scala: ScalaSintetica = 'regione'): Comune[] {
  const dim = DIMENSIONI[scala];
  const rng = new Rng(seme, 'regione-comuni');
  const pops = popolazioniRegione(rng, dim.comuni, dim.popolazione);
  const names = new Set<string>();
  const comuni: Comune[] = [];
  const perAmbito = dim.comuni / dim.ambiti;
  const province = 12;
  const perProvincia = Math.ceil(dim.comuni / province);
  for (let i = 0; i < dim.comuni; i++) {
    let nome = nomeSintetico(rng);
    while (names.has(nome)) nome = nomeSintetico(rng);
    names.add(nome);
    const prov = Math.floor(i / perProvincia);
    const seq = (i % perProvincia) + 1;
    comuni.push({
      istat: `${101 + prov}${String(seq).padStart(3, '0')}`,
      nome,
      belfiore: `${i < 1000 ? 'W' : 'Y'}${String(i % 1000).padStart(3, '0')}`,
      popolazione: pops[i],
      distretto: String(Math.floor(i / perAmbito)),
      email: '',
    });
  }
  // Each ambito is named after its largest comune, as Italian ambiti usually are.
  const groups = new Map<string, Comune[]>();
  for (const c of comuni) {
    const g = groups.get(c.distretto) ?? [];
    g.push(c);
    groups.set(c.distretto, g);
  }
  for (const g of groups.values()) {
    const capo = g.reduce((a, b) => (b.popolazione > a.popolazione ? b : a));
    const nomeAmbito = `Ambito di ${capo.nome}`;
    for (const c of g) c.distretto = nomeAmbito;
  }
  assegnaEmail(new Rng(seme, 'email-comuni'), comuni, 40, 30);
  return comuni;
}
