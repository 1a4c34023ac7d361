/**
 * The part of autocannon (a dev dependency without its own types) that the bench uses
 * (bench/carico.ts, bench/pagine.ts), so `npm run typecheck` checks the bench files too.
 */
declare module 'autocannon' {
  interface Risultato {
    requests: { total: number; average: number };
    errors: number;
    non2xx: number;
    timeouts: number;
  }
  interface Istanza extends PromiseLike<Risultato> {
    on(evento: 'response', f: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  }
  function autocannon(opts: { url: string; connections: number; duration: number; headers?: Record<string, string> }): Istanza;
  export default autocannon;
}
