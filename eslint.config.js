import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "reports/",
      "src/.observablehq/",
      "src/components/generated/",
      "data/",
      ".scratch/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["error", "warn"] }],
      // With noUncheckedIndexedAccess every index is possibly undefined; `!` is how code says
      // that an index it has just checked (a regex group, a known column) exists.
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // Page components run in the browser, inside Framework's runtime.
    files: ["src/components/**/*.js"],
    languageOptions: { globals: { ...globals.browser } },
  },
);
