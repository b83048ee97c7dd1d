import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createFileProgress } from "../loaders/progress.ts";

/** A stream that keeps what is written to it, claiming to be a terminal or not. */
function terminal(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  }) as unknown as NodeJS.WriteStream & { columns: number };
  Object.assign(stream, {
    isTTY,
    columns: 100,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  return { stream, text: () => chunks.join("") };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createFileProgress", () => {
  it("draws a bar naming the file once a file has taken longer than the delay", async () => {
    const { stream, text } = terminal(true);
    const progress = createFileProgress(stream, 20);
    progress.update({ file: "big_student_file.csv", index: 0, total: 3, done: false });
    await wait(80);
    expect(text()).toContain("0/3 files  big_student_file.csv");
    progress.stop();
  });

  it("draws nothing when the files are quick", async () => {
    const { stream, text } = terminal(true);
    const progress = createFileProgress(stream, 200);
    progress.update({ file: "a.csv", index: 0, total: 1, done: false });
    progress.update({ file: "a.csv", index: 0, total: 1, done: true });
    progress.stop();
    await wait(250);
    expect(text()).toBe("");
  });

  it("draws nothing on a stream that is not a terminal, such as a log file", async () => {
    const { stream, text } = terminal(false);
    const progress = createFileProgress(stream, 1);
    progress.update({ file: "big.csv", index: 0, total: 1, done: false });
    await wait(30);
    progress.stop();
    expect(text()).toBe("");
  });
});
