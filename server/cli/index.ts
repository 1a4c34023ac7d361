import { baseCommands } from './base';
import { importCommands } from './importa';
import { serveCommands } from './serve';
import { generaCommands } from './genera';
import { riconciliazioneCommands } from './riconciliazione';
import { qualitaCommands } from './qualita';
import { userCommands } from './utenti';
import { variazioniCommands } from './variazioni';
import { postaCommands } from './posta';
import type { CliCommand } from './tipi';

/**
 * Every command of `cruscotto`. Features add their commands to this list
 * (one import and one spread per feature).
 */
export const COMMANDS: CliCommand[] = [...baseCommands, ...importCommands, ...serveCommands, ...generaCommands, ...riconciliazioneCommands, ...qualitaCommands, ...userCommands, ...variazioniCommands, ...postaCommands];
