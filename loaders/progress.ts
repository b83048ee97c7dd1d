import cliProgress from "cli-progress";

interface FileEvent {
  file: string;
  index: number;
  total: number;
  done: boolean;
}

/**
 * A progress bar over the files of a run, drawn on a terminal once a file has taken more than a
 * second: a quick run prints its summary and nothing else, and a log file never fills with
 * redraws. While a long file loads, the bar names it and its elapsed time keeps counting.
 */
export function createFileProgress(stream: NodeJS.WriteStream = process.stderr, delayMs = 1000) {
  let bar: cliProgress.SingleBar | undefined;
  let timer: NodeJS.Timeout | undefined;
  let latest: FileEvent | undefined;

  const show = () => {
    if (bar || !latest) return;
    bar = new cliProgress.SingleBar(
      {
        stream,
        format: "{bar} {value}/{total} files  {file}  {duration_formatted}",
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(latest.total, latest.done ? latest.index + 1 : latest.index, { file: latest.file });
  };

  return {
    update(event: FileEvent) {
      if (!stream.isTTY) return;
      latest = event;
      if (bar) bar.update(event.done ? event.index + 1 : event.index, { file: event.file });
      else if (!event.done && !timer) timer = setTimeout(show, delayMs);
    },
    stop() {
      clearTimeout(timer);
      bar?.stop();
    },
  };
}
