import os from 'node:os';

/** Who runs a command: the system user and host (commands have no account), for audit and history. */
export function cliAutore(): string {
  return `${os.userInfo().username}@${os.hostname()} (riga di comando)`;
}
