import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, loadSettings, mergeSettings } from "../../loaders/settings.ts";

describe("the accountability settings", () => {
  it("default to the documented values", () => {
    expect(DEFAULT_SETTINGS.ayp).toEqual({
      aggregateMinN: 20,
      subgroupMinN: 40,
      errorBand: 2.5,
      statusExitYears: 2,
    });
    expect(DEFAULT_SETTINGS.ppi).toEqual({
      onTargetBand: 1.25,
      noChangeBand: 1.25,
      extraCredit: "relative",
    });
    expect(DEFAULT_SETTINGS.essa).toEqual({
      noChangeBandScaledScore: 0.5,
      noChangeBandCpi: 1.25,
      noChangePoints: 1,
      declinedPoints: 0,
      growthOnePointFrom: 30,
    });
  });

  it("merge a file's values over the defaults, key by key, leaving the defaults alone", () => {
    const settings = mergeSettings({ ayp: { errorBand: 1 }, ppi: { extraCredit: "points" } });
    expect(settings.ayp).toEqual({ ...DEFAULT_SETTINGS.ayp, errorBand: 1 });
    expect(settings.ppi.extraCredit).toBe("points");
    expect(settings.essa).toEqual(DEFAULT_SETTINGS.essa);
    expect(DEFAULT_SETTINGS.ayp.errorBand).toBe(2.5);
  });

  it("name an unknown key and the known ones", () => {
    expect(() => mergeSettings({ ayp: { errorBnd: 1 } })).toThrow(
      'settings: unknown setting "ayp.errorBnd"; the known "ayp" settings are aggregateMinN, ' +
        "subgroupMinN, errorBand, statusExitYears.",
    );
    expect(() => mergeSettings({ nclb: {} })).toThrow(
      'settings: unknown setting "nclb"; the known settings are minGroupSize, itemFlagPoints, itemFlagRatio, significanceZ, ' +
        "orgCrosswalk, ayp, ppi, essa.",
    );
  });

  it("name the key of a value of the wrong type or range", () => {
    expect(() => mergeSettings({ ayp: { errorBand: "2.5" } })).toThrow(
      'settings: setting "ayp.errorBand" must be a number at least 0, not "2.5".',
    );
    expect(() => mergeSettings({ ayp: { subgroupMinN: 40.5 } })).toThrow(
      'settings: setting "ayp.subgroupMinN" must be a whole number at least 1, not 40.5.',
    );
    expect(() => mergeSettings({ ppi: { extraCredit: "percent" } })).toThrow(
      'settings: setting "ppi.extraCredit" must be "relative" or "points", not "percent".',
    );
    expect(() => mergeSettings({ essa: { noChangePoints: 3 } })).toThrow(
      'settings: setting "essa.noChangePoints" must be a whole number from 0 to 2, not 3.',
    );
    expect(() => mergeSettings({ essa: { growthOnePointFrom: 45 } })).toThrow(
      'setting "essa.growthOnePointFrom" must be a number from 1 to 40, not 45.',
    );
  });

  it("refuse a group that is not an object, and points for a decline over no change", () => {
    expect(() => mergeSettings({ ppi: 1.25 })).toThrow(
      'settings: setting "ppi" must be an object holding any of onTargetBand, noChangeBand, ' +
        "extraCredit.",
    );
    expect(() => mergeSettings({ essa: { declinedPoints: 2 } })).toThrow(
      'settings: setting "essa.declinedPoints" (2) must not exceed "essa.noChangePoints" (1).',
    );
  });

  it("keep the flat settings' behaviour", () => {
    expect(mergeSettings({ minGroupSize: 20 }).minGroupSize).toBe(20);
    expect(() => mergeSettings({ minGroupSize: -1 })).toThrow(
      'settings: setting "minGroupSize" must be a non-negative number, not -1.',
    );
  });

  it("load from a JSON file, naming the file in an error", () => {
    const folder = mkdtempSync(join(tmpdir(), "pim-settings-"));
    try {
      const good = join(folder, "good.json");
      writeFileSync(good, JSON.stringify({ essa: { growthOnePointFrom: 35 } }));
      expect(loadSettings(good).essa.growthOnePointFrom).toBe(35);
      const bad = join(folder, "bad.json");
      writeFileSync(bad, JSON.stringify({ ayp: { statusExitYears: 0 } }));
      expect(() => loadSettings(bad)).toThrow(
        `${bad}: setting "ayp.statusExitYears" must be a whole number at least 1, not 0.`,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
