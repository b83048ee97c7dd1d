import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The pim command as a user runs it: a separate process, its exit code, stdout and stderr.
const PIM = resolve(import.meta.dirname, "../bin/pim.js");
const dir = mkdtempSync(join(tmpdir(), "pim-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pim(...args: string[]) {
  const result = spawnSync(process.execPath, [PIM, ...args], { cwd: dir, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("pim", () => {
  it.each(["ingest", "build", "sample", "serve", "bench"])("explains %s with --help", (command) => {
    const { code, stdout } = pim(command, "--help");
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: pim ${command} `));
  });

  it("lists its commands with --help", () => {
    const { code, stdout } = pim("--help");
    expect(code).toBe(0);
    for (const command of ["ingest", "build", "sample", "serve", "bench"]) {
      expect(stdout).toContain(command);
    }
  });

  it("refuses a bad option value with a reason", () => {
    const { code, stderr } = pim("ingest", "--year", "22", "x.csv");
    expect(code).toBe(2);
    expect(stderr).toContain("expected a year such as 2022");
  });

  it("exits with 1 and says why when a file is refused", () => {
    const file = join(dir, "notes.csv");
    writeFileSync(file, "a,b\n1,2\n");
    const { code, stderr } = pim("ingest", "--db", join(dir, "w.duckdb"), file);
    expect(code).toBe(1);
    expect(stderr).toContain("notes.csv: matches no known state file format");
  });

  it("exits with 1 for a path that does not exist", () => {
    const { code, stderr } = pim("ingest", "--db", join(dir, "w.duckdb"), "no/such/folder");
    expect(code).toBe(1);
    expect(stderr).toContain("no/such/folder: no such file or folder.");
  });
});
