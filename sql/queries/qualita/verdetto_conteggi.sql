-- The same rows as verdetto_righe.sql, from the counts of a run's preparation (q_conteggi,
-- preparazione.sql): member rows are not counted by the verdict.
select codice_istat, righe as n from q_conteggi where tabella <> 'membri'
