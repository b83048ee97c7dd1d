import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatBench, runBench } from "../loaders/bench.ts";
import { createMemoryLog } from "../loaders/log.ts";

// The benchmark is checked for what it reports, never for how fast anything is: timings belong
// to the machine, and a test that fails on a slow one is a defect.
const SAMPLE = resolve(import.meta.dirname, "../data/sample");
const dir = mkdtempSync(join(tmpdir(), "pim-bench-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("runBench", () => {
  it("reports each file's rows and its ingest time as a ratio to the baseline", async () => {
    for (const name of [
      "ma_mcas_2024_gr3-8_schools_el.csv",
      "ma_mcas_2024_gr5_schools_all_students.csv",
    ]) {
      copyFileSync(join(SAMPLE, name), join(dir, name));
    }
    const results = await runBench(dir, 1, createMemoryLog());
    expect(results.map((r) => r.file)).toEqual([
      "ma_mcas_2024_gr3-8_schools_el.csv",
      "ma_mcas_2024_gr5_schools_all_students.csv",
    ]);
    for (const result of results) {
      expect(result.rows).toBeGreaterThan(0);
      expect(result.ratio).toBeCloseTo(result.ingestMs / result.baselineMs, 10);
    }
    expect(formatBench(results).split("\n").at(-1)).toMatch(/^median ratio\t+\d+\.\d\d$/);
  });
});
