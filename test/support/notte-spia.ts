/**
 * Records, from inside the database, whether each step of an import and its chain ran within an
 * update (`aggiornamenti`, server/fatti/notte.ts): a trigger on `importazioni` (the row turning
 * 'ok', in the import's own transaction, the moment the data changes) and on `job_esecuzioni`
 * (each chained job's run recorded) writes how many updates were open. No timing involved.
 */
import type { Database } from '../../server/db';

export interface PassoSpiato {
  cosa: string;
  aggiornamenti: number;
}

export async function installaSpia(db: Database): Promise<void> {
  await db.knex.raw(`create table prova_notte (n serial primary key, cosa text not null, aggiornamenti integer not null)`);
  // One function per table: PL/pgSQL resolves every field it names on the row it gets.
  for (const [f, cosa] of [['prova_notte_i', `'import ' || new.tipo`], ['prova_notte_j', `'job ' || new.job`]]) {
    await db.knex.raw(`create function ${f}() returns trigger language plpgsql as $$
      begin
        insert into prova_notte (cosa, aggiornamenti) values (${cosa}, (select count(*) from aggiornamenti));
        return new;
      end $$`);
  }
  await db.knex.raw(`create trigger prova_notte_i after insert or update on importazioni for each row when (new.esito = 'ok') execute function prova_notte_i()`);
  await db.knex.raw(`create trigger prova_notte_j after insert on job_esecuzioni for each row execute function prova_notte_j()`);
}

export async function leggiSpia(db: Database): Promise<PassoSpiato[]> {
  return ((await db.knex('prova_notte').orderBy('n').select('cosa', 'aggiornamenti')) as PassoSpiato[]).map((r) => ({ cosa: r.cosa, aggiornamenti: Number(r.aggiornamenti) }));
}

export async function togliSpia(db: Database): Promise<void> {
  await db.knex.raw('drop trigger if exists prova_notte_i on importazioni');
  await db.knex.raw('drop trigger if exists prova_notte_j on job_esecuzioni');
  await db.knex.raw('drop function if exists prova_notte_i()');
  await db.knex.raw('drop function if exists prova_notte_j()');
  await db.knex.raw('drop table if exists prova_notte');
}
