/**
 * Diagnostics for people running pim: one line per step, to stderr, so that stdout stays free for
 * data (Framework's loaders write their output file to stdout).
 */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  /** Starts a timer; the returned function logs the message with the elapsed time. */
  time(): (message: string) => void;
}

export function createLog(stream: NodeJS.WritableStream = process.stderr): Log {
  const write = (line: string) => void stream.write(`${line}\n`);
  return {
    info: (message) => write(message),
    warn: (message) => write(`warning: ${message}`),
    time() {
      const start = performance.now();
      return (message) => write(`${message} (${formatDuration(performance.now() - start)})`);
    },
  };
}

/** A log that keeps its lines, for tests that check what was said. */
export function createMemoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  const log = createLog({ write: (chunk: string) => (lines.push(chunk.trimEnd()), true) } as never);
  return Object.assign(log, { lines });
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
