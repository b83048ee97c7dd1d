import cliProgress from "cli-progress";

/**
 * A progress bar over the files of a run, drawn only on a terminal and only once the run has
 * taken more than a second: a quick run prints its summary and nothing else, and a log file never
 * fills with redraws.
 */
export function createFileProgress(stream: NodeJS.WriteStream = process.stderr, delayMs = 1000) {
  const started = performance.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update({
      file,
      index,
      total,
      done,
    }: {
      file: string;
      index: number;
      total: number;
      done: boolean;
    }) {
      if (!stream.isTTY) return;
      if (!bar && performance.now() - started > delayMs) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: "{bar} {value}/{total} files  {file}",
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, index, { file });
      }
      bar?.update(done ? index + 1 : index, { file });
    },
    stop() {
      bar?.stop();
    },
  };
}
