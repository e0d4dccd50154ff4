// The logger's `err` serializer takes anything without throwing (a string `err` used to crash
// it, and with it the bot at start), and still keeps user words, numbers and secrets out.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createLogger, newLogSalt, scrubEmails, scrubSecrets } from "../src/log.js";

const TOKEN = "123456:AAE-secretTokenValue_xyz";
const EMAIL = "sipho.dlamini@example.co.za";
const PHONE = "+27 82 123 4567";

function capture() {
  const lines: string[] = [];
  const log = createLogger("debug", { write: (s: string) => void lines.push(s) });
  const errOf = (err: unknown): unknown => {
    log.error({ err }, "something failed");
    return (JSON.parse(lines.at(-1)!) as { err: unknown }).err;
  };
  return { lines, errOf };
}

describe("the err serializer", () => {
  it("takes a string (as grammY's start-up calls can log one), scrubbed", () => {
    const { errOf } = capture();
    const out = errOf(
      `Call to 'setMyCommands' failed! https://api.telegram.org/bot${TOKEN}/x for ${EMAIL} at ${PHONE}`,
    ) as { message: string };
    expect(out.message).toContain("setMyCommands");
    for (const secret of [TOKEN, EMAIL, "82 123 4567"]) expect(out.message).not.toContain(secret);
  });

  it.each([
    ["a number", 404, "404"],
    ["null", null, "null"],
    ["a boolean", false, "false"],
    ["a bigint", 10n, "10"],
    ["a symbol", Symbol("s"), "Symbol(s)"],
  ])("takes %s", (_, value, message) => {
    const { errOf } = capture();
    expect(errOf(value)).toEqual({ message });
  });

  it("takes undefined (pino leaves the field out)", () => {
    const { lines, errOf } = capture();
    expect(errOf(undefined)).toBeUndefined();
    expect(lines).toHaveLength(1);
  });

  it("takes a plain object without changing it, redacting user words and credentials at any depth", () => {
    const { errOf } = capture();
    const input = {
      code: 500,
      response: { body: "I want to give up", headers: { authorization: `Bearer ${TOKEN}` } },
      note: `mail ${EMAIL}`,
      payload: { text: "hello" },
    };
    const snapshot = structuredClone(input);
    const out = errOf(input) as Record<string, unknown>;
    expect(input).toEqual(snapshot); // the caller's object is untouched
    expect(out).toEqual({
      code: 500,
      response: { body: "[redacted]", headers: { authorization: "[redacted]" } },
      note: "mail <email>",
    });
  });

  it("takes an Error with a cause chain, keeping both messages, scrubbed, and dropping grammY's request payload", () => {
    const { errOf } = capture();
    const cause = new Error(`connect ECONNREFUSED for ${EMAIL}`);
    const err = Object.assign(new Error(`sendMessage to ${PHONE} failed`, { cause }), {
      payload: { chat_id: 27821234567, text: "my words" },
      error_code: 400,
    });
    const out = errOf(err) as Record<string, unknown>;
    expect(out.type).toBe("Error");
    expect(out.message).toBe("sendMessage to <number> failed: connect ECONNREFUSED for <email>");
    expect(String(out.stack)).toContain("caused by");
    expect(out.error_code).toBe(400);
    expect(out).not.toHaveProperty("payload");
    expect(JSON.stringify(out)).not.toContain("my words");
  });

  it("takes cycles, in plain objects and in errors, and errors whose cause is itself", () => {
    const { errOf } = capture();
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(errOf(a)).toEqual({ name: "a", self: "[circular]" });
    const e = new Error("loop") as Error & { again?: unknown; cause?: unknown };
    e.cause = e;
    e.again = { back: e };
    const out = errOf(e) as Record<string, unknown>;
    expect(out.message).toContain("loop");
  });

  it("takes a frozen error, a throwing getter and a hostile proxy, and always writes the line", () => {
    const { lines, errOf } = capture();
    const frozen = Object.freeze(new Error(`frozen ${EMAIL}`));
    expect((errOf(frozen) as { message: string }).message).toBe("frozen <email>");
    const getter = Object.defineProperty({ ok: 1 }, "bad", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    expect(errOf(getter)).toEqual({ ok: 1, bad: "[unreadable]" });
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("no keys");
        },
        get: () => {
          throw new Error("no get");
        },
      },
    );
    expect(errOf(hostile)).toEqual({ message: "[error not serializable]" });
    expect(lines).toHaveLength(3);
  });
});

describe("scrubEmails", () => {
  const REGEX = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
  it("masks exactly what the regex it replaces masked", () => {
    const alphabet = fc.constantFrom("a", "b", "1", "_", ".", "+", "-", "@", " ", "é", "\n");
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 40 }), (s) => {
        expect(scrubEmails(s)).toBe(s.replace(REGEX, "<email>"));
      }),
      { numRuns: 5000 },
    );
    expect(scrubSecrets(`write to ${EMAIL} or a.b+c@d-e.f.g.`)).toBe("write to <email> or <email>.");
  });
});

describe("the log salt", () => {
  it("is 128 random bits, different each time", () => {
    const a = newLogSalt();
    expect(Buffer.from(a, "base64url")).toHaveLength(16);
    expect(newLogSalt()).not.toBe(a);
  });
});
