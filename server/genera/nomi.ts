/**
 * Synthetic names, streets and place codes. The lists are short on purpose: the
 * people are invented, only the shapes (CF, addresses) must look like the real thing.
 */

export const COGNOMI = [
  'ROSSI', 'RUSSO', 'FERRARI', 'ESPOSITO', 'BIANCHI', 'ROMANO', 'COLOMBO', 'RICCI', 'MARINO', 'GRECO',
  'BRUNO', 'GALLO', 'CONTI', 'DE LUCA', 'MANCINI', 'COSTA', 'GIORDANO', 'RIZZO', 'LOMBARDI', 'MORETTI',
  'BARBIERI', 'FONTANA', 'SANTORO', 'MARIANI', 'RINALDI', 'CARUSO', 'FERRARA', 'GALLI', 'MARTINI', 'LEONE',
  'LONGO', 'GENTILE', 'MARTINELLI', 'VITALE', 'LOMBARDO', 'SERRA', 'COPPOLA', 'DE SANTIS', "D'ANGELO", 'MARCHETTI',
  'PARISI', 'VILLA', 'CONTE', 'FERRARO', 'FERRI', 'FABBRI', 'BIANCO', 'MARINI', 'GRASSO', 'VALENTINI',
  'MESSINA', 'SALA', 'DE ANGELIS', 'GATTI', 'PELLEGRINI', 'PALUMBO', 'SANNA', 'FARINA', 'RIZZI', 'MONTI',
  'CATTANEO', 'MORELLI', 'AMATO', 'SILVESTRI', 'MAZZA', 'TESTA', 'GRASSI', 'PELLEGRINO', 'CARBONE', 'GIULIANI',
  'BENEDETTI', 'BARONE', 'ROSSETTI', 'CAPUTO', 'MONTANARI', 'GUERRA', 'PALMIERI', 'BERNARDI', 'MARTINO', 'FIORE',
  'DE ROSA', 'FERRETTI', 'BELLINI', 'BASILE', 'RIVA', 'DONATI', 'PIRAS', 'VITALI', 'BATTAGLIA', 'SARTORI',
  'NERI', 'COSTANTINI', 'MILANI', 'PAGANO', 'RUGGIERO', 'SORRENTINO', "D'AMICO", 'ORLANDO', 'DAMICO', 'NEGRI',
  'BOSSI', 'BRAMBILLA', 'VISMARA', 'OLDANI', 'FUSARI', 'BONVINI', 'GROPPELLI', 'CAVALLI', 'ZANABONI', 'BAGGI',
  'PEREGO', 'PIAZZA', 'BRUSCHI', 'TANSINI', 'MAGNANI', 'SFONDRINI', 'BOCCALARI', 'ARISI', 'ZAMBELLI', 'BONFANTI',
  'PAVESI', 'CORNALBA', 'ACERBI', 'BIGNAMI', 'SCOTTI', 'POZZI', 'ROTA', 'CREMONESI', 'MAFFI', 'VIGNATI',
];

export const NOMI_M = [
  'MARCO', 'GIUSEPPE', 'ANDREA', 'LUCA', 'FRANCESCO', 'ALESSANDRO', 'MATTEO', 'LORENZO', 'GIOVANNI', 'ANTONIO',
  'PAOLO', 'STEFANO', 'ROBERTO', 'MARIO', 'LUIGI', 'DAVIDE', 'SIMONE', 'RICCARDO', 'FABIO', 'MASSIMO',
  'GIORGIO', 'CARLO', 'FRANCO', 'BRUNO', 'SERGIO', 'ANGELO', 'PIETRO', 'TOMMASO', 'LEONARDO', 'GABRIELE',
  'EDOARDO', 'FEDERICO', 'DIEGO', 'NICOLA', 'CLAUDIO', 'ENRICO', 'EMANUELE', 'VINCENZO', 'ALBERTO', 'GIANLUCA',
  'RENATO', 'ERNESTO', 'ATTILIO', 'GINO', 'DARIO', 'MATTIA', 'SAMUELE', 'CRISTIAN', 'DANIELE', 'FILIPPO',
];

export const NOMI_F = [
  'MARIA', 'ANNA', 'GIULIA', 'FRANCESCA', 'CHIARA', 'SARA', 'LAURA', 'ELENA', 'VALENTINA', 'ALESSANDRA',
  'MARTINA', 'SOFIA', 'AURORA', 'GIORGIA', 'ALICE', 'EMMA', 'GRETA', 'BEATRICE', 'SILVIA', 'PAOLA',
  'ROBERTA', 'CRISTINA', 'FEDERICA', 'ELISA', 'ANGELA', 'ROSA', 'GIUSEPPINA', 'LUCIA', 'TERESA', 'CARLA',
  'FRANCA', 'LUIGIA', 'ADELE', 'ESTER', 'RITA', 'BARBARA', 'MONICA', 'SIMONA', 'DANIELA', 'PATRIZIA',
  'NOEMI', 'GINEVRA', 'VITTORIA', 'CAMILLA', 'ILARIA', 'MARTA', 'IRENE', 'ELEONORA', 'LETIZIA', 'BIANCA',
];

/** Families born abroad: surnames and names per country, with the country's Belfiore (Z) code. */
export const ESTERI: readonly { belfiore: string; cognomi: string[]; m: string[]; f: string[] }[] = [
  { belfiore: 'Z129', cognomi: ['POPESCU', 'IONESCU', 'POPA', 'STAN', 'DUMITRU', 'CONSTANTIN'], m: ['ANDREI', 'IONUT', 'MIHAI', 'VASILE'], f: ['IOANA', 'ELENA', 'ANDREEA', 'MIHAELA'] },
  { belfiore: 'Z100', cognomi: ['HOXHA', 'SHEHU', 'KOLA', 'BERISHA', 'DOKA'], m: ['ARBEN', 'BESNIK', 'ERION', 'KLODIAN'], f: ['ALBANA', 'BLERINA', 'ERMIRA', 'ANILA'] },
  { belfiore: 'Z330', cognomi: ['EL AMRANI', 'BENALI', 'EL IDRISSI', 'OUALI', 'BOUZID'], m: ['MOHAMED', 'YOUSSEF', 'KARIM', 'HAMZA'], f: ['FATIMA', 'KHADIJA', 'AMINA', 'SALMA'] },
  { belfiore: 'Z343', cognomi: ['OKAFOR', 'ADEYEMI', 'EZE', 'OBI'], m: ['CHINEDU', 'EMEKA', 'TUNDE', 'SAMUEL'], f: ['NGOZI', 'AMAKA', 'BLESSING', 'GRACE'] },
  { belfiore: 'Z210', cognomi: ['HU', 'ZHOU', 'CHEN', 'WANG', 'LIN'], m: ['WEI', 'JIAN', 'HAO', 'MING'], f: ['LI', 'MEI', 'XIU', 'YAN'] },
  { belfiore: 'Z605', cognomi: ['GARCIA', 'RODRIGUEZ', 'LOPEZ', 'QUISPE', 'FLORES'], m: ['JOSE', 'LUIS', 'CARLOS', 'JORGE'], f: ['ROSA', 'CARMEN', 'GLADYS', 'MARIBEL'] },
];

/** Italian comuni outside the generated area, for people born elsewhere in Italy (Milano, Roma, Napoli, Palermo, Cremona, Piacenza). */
export const BELFIORE_ALTRI = ['F205', 'H501', 'F839', 'G273', 'D150', 'G535'];

export const VIE = [
  'VIA ROMA', 'VIA GARIBALDI', 'VIA MAZZINI', 'VIA CAVOUR', 'VIA DANTE ALIGHIERI', 'VIA VITTORIO EMANUELE II',
  'VIA XX SETTEMBRE', 'VIA IV NOVEMBRE', 'VIA MATTEOTTI', 'VIA GRAMSCI', 'VIA DON MINZONI', 'VIA PAPA GIOVANNI XXIII',
  'VIALE EUROPA', 'VIALE DELLA REPUBBLICA', 'PIAZZA DELLA VITTORIA', 'PIAZZA MERCATO', 'VIA DEI MILLE', 'VIA VERDI',
  'VIA PUCCINI', 'VIA MANZONI', 'VIA LEOPARDI', 'VIA PASCOLI', 'VIA CARDUCCI', 'VIA MARCONI', 'VIA VOLTA',
  'VIA GALILEI', 'VIA DELLE ROSE', 'VIA DEI TIGLI', 'VIA ADDA', 'VIA PO', 'VIA LAMBRO', 'VIA MOLINO',
  "VIA SANT'ANTONIO", 'VIA SAN BERNARDO', 'VIA CASCINA NUOVA', 'VIA DELLA PACE', 'VIA KENNEDY', 'VIA MORO',
  'VIA BERLINGUER', 'VIA DE GASPERI', 'VIA MONTEGRAPPA', 'VIA PIAVE', 'VIA TRENTO', 'VIA TRIESTE',
];

const VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);

function letters(name: string): { cons: string; vow: string } {
  let cons = '';
  let vow = '';
  for (const ch of name.toUpperCase()) {
    if (ch < 'A' || ch > 'Z') continue;
    if (VOWELS.has(ch)) vow += ch;
    else cons += ch;
  }
  return { cons, vow };
}

/** Surname part of the CF: consonants, then vowels, padded with X. */
export function codiceCognome(cognome: string): string {
  const { cons, vow } = letters(cognome);
  return (cons + vow + 'XXX').slice(0, 3);
}

/** Name part of the CF: with four or more consonants the 1st, 3rd and 4th. */
export function codiceNome(nome: string): string {
  const { cons, vow } = letters(nome);
  if (cons.length >= 4) return cons[0] + cons[2] + cons[3];
  return (cons + vow + 'XXX').slice(0, 3);
}

/** URL-safe ASCII slug of a comune name (accents and apostrophes dropped). */
export function slug(nome: string): string {
  return nome
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
