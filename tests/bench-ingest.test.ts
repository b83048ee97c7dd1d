import { describe, expect, it } from "vitest";
import { formatIngestBench, runIngestBench } from "../loaders/bench-ingest.ts";
import { createMemoryLog } from "../loaders/log.ts";

// Checked for what it reports, never for how fast anything is (see tests/bench.test.ts).
describe("runIngestBench({ students, log })", () => {
  it("times pim's ingest and DuckDB alone on the same generated file, in child processes", async () => {
    const log = createMemoryLog();
    const result = await runIngestBench({ students: 3000, log });
    expect(result.students).toBe(3000);
    expect(result.fileMb).toBeGreaterThan(0.5);
    for (const phase of [result.ours, result.duckdb]) {
      expect(phase.ms).toBeGreaterThan(0);
      expect(phase.peakRssMb).toBeGreaterThan(20);
    }
    expect(result.ratio).toBeCloseTo(result.ours.ms / result.duckdb.ms, 10);
    const text = formatIngestBench(result);
    expect(text).toMatch(/^student file: 3000 students, \d+ MB\n/);
    expect(text).toMatch(/\npim ingest +\d+\.\d s +\d+ MB\n/);
    expect(text).toMatch(/\nratio \(pim \/ DuckDB\): \d+\.\d\d$/);
    expect(log.lines[0]).toMatch(/^bench: generated 3000 students in the full layout/);
  }, 120_000);
});
