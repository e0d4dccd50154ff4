import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("config", () => {
  it("has the documented defaults", () => {
    const c = loadConfig({});
    expect(c.TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
    expect(c.WHATSAPP_API_ROOT).toBe("https://graph.facebook.com");
    expect(c.DEFAULT_TIMEZONE).toBe("Africa/Johannesburg");
    expect(c.DEFAULT_LOCALE).toBe("en");
    expect(c.PORT).toBe(3000);
    expect(c.telegram.mode).toBe("off");
    expect(c.whatsappEnabled).toBe(false);
    expect(c.REDIS_URL).toBeUndefined();
    expect(c).toMatchObject({
      HTTP_MAX_CONNECTIONS: 256,
      HTTP_MAX_BODY_MB_IN_FLIGHT: 32,
      SHUTDOWN_TIMEOUT_SECONDS: 8,
      TELEGRAM_REPLY_TIMEOUT_SECONDS: 10,
      WHATSAPP_INBOUND_CONCURRENCY: 32,
      WHATSAPP_INBOUND_CONCURRENCY_PER_BODY: 8,
    });
    expect(c.METRICS_PORT).toBeUndefined();
  });

  it("refuses HTTP limits that cannot work", () => {
    // Below WhatsApp's own 3.5 MB body cap, every large webhook would be refused.
    expect(() => loadConfig({ HTTP_MAX_BODY_MB_IN_FLIGHT: "3" })).toThrow(/HTTP_MAX_BODY_MB_IN_FLIGHT/);
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: "0" })).toThrow(/HTTP_MAX_CONNECTIONS/);
    expect(() => loadConfig({ PORT: "3000", METRICS_PORT: "3000" })).toThrow(/METRICS_PORT must differ from PORT/);
    expect(loadConfig({ METRICS_PORT: "9464" }).METRICS_PORT).toBe(9464);
  });

  it("picks polling or webhook mode for Telegram", () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: "1:abc" }).telegram.mode).toBe("polling");
    expect(
      loadConfig({
        TELEGRAM_BOT_TOKEN: "1:abc",
        TELEGRAM_WEBHOOK_SECRET: "s3cret",
        PUBLIC_URL: "https://bot.example.org/",
      }).telegram.mode,
    ).toBe("webhook");
    expect(loadConfig({ TELEGRAM_API_ROOT: "http://127.0.0.1:9/" }).TELEGRAM_API_ROOT).toBe("http://127.0.0.1:9");
  });

  it("names the variable and hides secret values", () => {
    const bad = "not a token with spaces";
    const err = (() => {
      try {
        loadConfig({ TELEGRAM_BOT_TOKEN: bad });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message).toContain("TELEGRAM_BOT_TOKEN");
    expect(err!.message).not.toContain(bad);
    expect(err!.message.split("\n")).toHaveLength(1);
  });

  it.each([
    [{ PORT: "seventy" }, "PORT"],
    [{ DEFAULT_TIMEZONE: "Mars/Phobos" }, "DEFAULT_TIMEZONE"],
    [{ REDIS_URL: "not a url" }, "REDIS_URL"],
    [{ ADMIN_IDS: "12345" }, "ADMIN_IDS"],
    [{ TELEGRAM_WEBHOOK_SECRET: "abc" }, "PUBLIC_URL"],
    [{ WHATSAPP_TOKEN: "x" }, "WHATSAPP_PHONE_NUMBER_ID"],
  ])("rejects %o naming %s", (env, name) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(name));
  });

  it("caps MAX_MESSAGE_CHARS at what platforms send (4096), with a clear error", () => {
    expect(loadConfig({}).MAX_MESSAGE_CHARS).toBe(4000);
    expect(loadConfig({ MAX_MESSAGE_CHARS: "4096" }).MAX_MESSAGE_CHARS).toBe(4096);
    expect(() => loadConfig({ MAX_MESSAGE_CHARS: "100000" })).toThrow(
      "MAX_MESSAGE_CHARS must be at most 4096: Telegram and WhatsApp send no longer messages",
    );
    expect(() => loadConfig({ MAX_MESSAGE_CHARS: "4097" })).toThrow(ConfigError);
    expect(() => loadConfig({ MAX_MESSAGE_CHARS: "50" })).toThrow("MAX_MESSAGE_CHARS must be at least 100");
  });

  it("accepts redis URLs and admin keys", () => {
    const c = loadConfig({
      REDIS_URL: "redis://user:pw@10.0.0.5:6380/2",
      ADMIN_IDS: "telegram:1, whatsapp:27821234567",
    });
    expect(c.REDIS_URL).toBe("redis://user:pw@10.0.0.5:6380/2");
    expect(c.ADMIN_IDS).toEqual(["telegram:1", "whatsapp:27821234567"]);
  });
});
