// The package ships no types; only the call used by db-lock.ts is declared.
declare module 'fs-native-extensions' {
  /** Non-blocking lock of the whole file; false when another open file holds it. */
  export function tryLock(fd: number, opts?: { shared?: boolean }): boolean;
  export function unlock(fd: number): void;
}
