import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/global.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: files run in parallel workers; each test isolates itself by key prefix.
    pool: "forks",
  },
});
