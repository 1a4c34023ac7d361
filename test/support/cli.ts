import { Writable } from 'node:stream';
import { main } from '../../server/cli';

/** A stream that keeps what is written to it. */
function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

/** Runs `cruscotto ARGS` in-process and returns its exit code, stdout and stderr. */
export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await main(args, { out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}
