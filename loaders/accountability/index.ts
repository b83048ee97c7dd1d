// The accountability rules as one module: what the step 1 page imports, bundled for the browser
// by the build (loaders/build/rules-bundle.ts), so that a value a team types is judged in the page
// by the same code the tests check.
export * from "./ayp.ts";
export * from "./cpi.ts";
export * from "./era.ts";
export * from "./essa2018.ts";
export * from "./ppi.ts";
export * from "./result.ts";
export { RULES, settingDefault, type Rule, type RuleEra, type RuleStatus } from "./rules.ts";
export { DEFAULT_SETTINGS } from "../settings-defaults.ts";
