// REDIS_CLUSTER_NODES: seeds parsed once at start; with REDIS_URL too, or a seed that is not
// host:port, the start stops with one line that names the variable and never echoes a value
// (a URL with a password pasted into the wrong variable stays out of the output).
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("REDIS_CLUSTER_NODES", () => {
  it("takes host:port seeds, comma-separated, IPv6 in brackets", () => {
    expect(
      loadConfig({ REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-b.internal:7001,[::1]:7002" }).REDIS_CLUSTER_NODES,
    ).toEqual([
      { host: "10.0.0.1", port: 7000 },
      { host: "redis-b.internal", port: 7001 },
      { host: "::1", port: 7002 },
    ]);
    expect(loadConfig({}).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(loadConfig({ REDIS_CLUSTER_NODES: " " }).REDIS_CLUSTER_NODES).toBeUndefined();
  });

  it("refuses it beside REDIS_URL, and seeds that are not host:port, without echoing them", () => {
    expect(() => loadConfig({ REDIS_URL: "redis://127.0.0.1:6379", REDIS_CLUSTER_NODES: "127.0.0.1:7000" })).toThrow(
      /REDIS_CLUSTER_NODES and REDIS_URL are both set: use REDIS_URL for one Redis, REDIS_CLUSTER_NODES for a Redis Cluster, not both/,
    );
    for (const bad of [
      "127.0.0.1",
      "127.0.0.1:0",
      "127.0.0.1:70000",
      "127.0.0.1:7000,redis://:hunter2@10.0.0.2:7001",
      ",",
    ]) {
      let message = "";
      try {
        loadConfig({ REDIS_CLUSTER_NODES: bad });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        message = (err as Error).message;
      }
      expect(message, bad).toMatch(/^Configuration problem: REDIS_CLUSTER_NODES must /);
      expect(message).not.toContain("hunter2");
    }
  });
});
