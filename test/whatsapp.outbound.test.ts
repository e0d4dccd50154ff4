// Rendering replies for WhatsApp: buttons, then a list, then numbered text (ChoiceFactory-style),
// and Meta's limits held for any input. Plus the pure helpers: error codes, time zones.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { ChartReply, Choice, Reply } from "../src/core/types.js";
import { loadConfig } from "../src/config.js";
import { classifyCode } from "../src/channels/whatsapp/client.js";
import { guessTimezone, parseWebhook, type WhatsAppEvent } from "../src/channels/whatsapp/inbound.js";
import { WA_LIMITS, choiceStyle, renderChart, renderReply, templateParam } from "../src/channels/whatsapp/outbound.js";
import type { WhatsAppPayload } from "../src/channels/whatsapp/client.js";
import { whatsappWebhook } from "../src/channels/whatsapp/webhook.js";
import { WA, fixture, sign } from "./fakes/whatsapp.js";
import { silentLog } from "./helpers/bot.js";
import { injectable } from "./helpers/http.js";

const opts = { listButton: "See options", numberedHint: "Reply with the number of your choice." };
const choices = (n: number, label = (i: number) => `Option ${i + 1}`): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ label: label(i), value: `/c${i}` }));
const render = (text: string, cs: Choice[]) => renderReply({ kind: "text", text, choices: cs }, opts);
const len = (s: string) => [...s].length;

describe("choices on WhatsApp", () => {
  it("shows up to 3 choices as reply buttons, ids carrying the choice values", () => {
    const [p] = render("Pick one", choices(3));
    expect(p).toEqual({
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Pick one" },
        action: { buttons: choices(3).map((c) => ({ type: "reply", reply: { id: c.value, title: c.label } })) },
      },
    });
  });

  it("uses a list for 4 to 10 choices, or when a title is too long for a button", () => {
    for (const n of [4, 7, 10]) {
      const out = render("Pick", choices(n));
      expect(out).toHaveLength(1);
      expect(out[0]).toMatchObject({
        type: "interactive",
        interactive: { type: "list", action: { button: "See options" } },
      });
      const rows = (out[0] as { interactive: { action: { sections: { rows: unknown[] }[] } } }).interactive.action
        .sections[0]!.rows;
      expect(rows).toHaveLength(n);
    }
    const long = [
      { label: "Twenty-two characters!", value: "/a" },
      { label: "Short", value: "/b" },
    ];
    expect(choiceStyle("Pick", long, opts.listButton)).toBe("list");
  });

  it("falls back to numbered text past 10 choices, past 24-character titles, for duplicate titles or a long body", () => {
    const cases: [string, Choice[]][] = [
      ["Pick", choices(11)],
      ["Pick", choices(2, (i) => `A title of more than twenty-four characters ${i}`)],
      [
        "Pick",
        [
          { label: "Yes", value: "/a" },
          { label: "yes", value: "/b" },
        ],
      ],
      ["x".repeat(1025), choices(2)],
      ["Pick", [{ label: "Fine", value: `/${"v".repeat(300)}` }]],
    ];
    for (const [body, cs] of cases) {
      expect(choiceStyle(body, cs, opts.listButton)).toBe("numbered");
      const out = renderReply({ kind: "text", text: body, choices: cs }, opts);
      expect(out.every((p) => p.type === "text")).toBe(true);
      const last = out.at(-1) as { text: { body: string } };
      cs.forEach((c, i) => expect(last.text.body).toContain(`${i + 1}. ${c.label}`));
      expect(last.text.body.endsWith(opts.numberedHint)).toBe(true);
    }
  });

  it("splits text over 4096 characters, keeping the choices on the last part", () => {
    const para = "A sentence that goes on. ".repeat(40) + "\n\n";
    const out = render(para.repeat(12), choices(2));
    expect(out.length).toBeGreaterThan(1);
    for (const p of out) expect(p.type).toBe("text");
    expect((out.at(-1) as { text: { body: string } }).text.body).toContain("1. Option 1");
    expect((out[0] as { text: { body: string } }).text.body).not.toContain("1. Option 1");
  });

  it("sends a document (the data export) as its fallback text", () => {
    const doc: Reply = {
      kind: "document",
      filename: "data.json",
      content: "{}",
      caption: "Your data",
      fallbackText: "Here is your data: {}",
    };
    expect(renderReply(doc, opts)).toEqual([{ type: "text", text: { body: "Here is your data: {}" } }]);
  });

  it("keeps every payload within Meta's limits, whatever the choices", () => {
    const label = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== "");
    const choice = fc.record({ label, value: fc.string({ minLength: 1, maxLength: 300 }) });
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), fc.array(choice, { maxLength: 14 }), (body, cs) => {
        for (const p of renderReply({ kind: "text", text: body, choices: cs }, opts)) {
          if (p.type === "text") {
            expect(len(p.text.body)).toBeLessThanOrEqual(WA_LIMITS.text);
            expect(p.text.body.length).toBeGreaterThan(0);
          } else if (p.type === "interactive") {
            const i = p.interactive;
            expect(len(i.body.text)).toBeLessThanOrEqual(WA_LIMITS.interactiveBody);
            if (i.type === "button") {
              expect(i.action.buttons.length).toBeLessThanOrEqual(3);
              const titles = i.action.buttons.map((b) => b.reply.title);
              expect(new Set(titles.map((t) => t.toLowerCase())).size).toBe(titles.length);
              for (const b of i.action.buttons) {
                expect(len(b.reply.title)).toBeLessThanOrEqual(WA_LIMITS.buttonTitle);
                expect(len(b.reply.id)).toBeLessThanOrEqual(WA_LIMITS.buttonId);
              }
            } else {
              const rows = i.action.sections.flatMap((s) => s.rows);
              expect(rows.length).toBeLessThanOrEqual(WA_LIMITS.listRows);
              for (const row of rows) {
                expect(len(row.title)).toBeLessThanOrEqual(WA_LIMITS.rowTitle);
                expect(len(row.id)).toBeLessThanOrEqual(WA_LIMITS.rowId);
              }
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("charts on WhatsApp", () => {
  const spec: ChartReply["spec"] = {
    kind: "pipeline",
    title: "Your search",
    stages: [{ label: "Applications", count: 2 }],
  };
  const chart = (caption: string, cs: Choice[] = []): ChartReply => ({
    kind: "chart",
    spec,
    caption,
    fallbackText: `${caption}\nApplications 2`,
    choices: cs,
  });

  it("without a picture, goes as its fallback text with its choices", () => {
    expect(renderReply(chart("Caption", choices(2)), opts)).toEqual(render("Caption\nApplications 2", choices(2)));
  });

  it("is one message when it can be: an image with its caption, or reply buttons under the image", () => {
    expect(renderChart(chart("Look"), "m1", opts)).toEqual([{ type: "image", image: { id: "m1", caption: "Look" } }]);
    const [p, ...rest] = renderChart(chart("Look", choices(3)), "m2", opts);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      type: "interactive",
      interactive: { type: "button", header: { type: "image", image: { id: "m2" } }, body: { text: "Look" } },
    });
  });

  it("sends the image bare, then the caption, when a list is needed or the caption is too long to go under it", () => {
    expect(renderChart(chart("Look", choices(5)), "m3", opts)).toEqual([
      { type: "image", image: { id: "m3" } },
      ...render("Look", choices(5)),
    ]);
    const long = "x".repeat(WA_LIMITS.imageCaption + 1);
    expect(renderChart(chart(long), "m4", opts)).toEqual([
      { type: "image", image: { id: "m4" } },
      { type: "text", text: { body: long } },
    ]);
  });

  it("never loses the caption or a choice, shows the image once, first, and keeps Meta's limits", () => {
    const label = fc.string({ minLength: 1, maxLength: 30 }).filter((x) => x.trim() !== "");
    fc.assert(
      fc.property(
        fc.string({ maxLength: 3000 }),
        fc.array(fc.record({ label, value: fc.string({ minLength: 1, maxLength: 80 }) }), { maxLength: 12 }),
        (caption, cs) => {
          const out = renderChart(chart(caption, cs), "m9", opts);
          const images = out.filter(
            (p) =>
              p.type === "image" ||
              (p.type === "interactive" && p.interactive.type === "button" && p.interactive.header),
          );
          expect(images).toHaveLength(1);
          expect(images[0]).toBe(out[0]);
          const words = (p: WhatsAppPayload) =>
            p.type === "image"
              ? (p.image.caption ?? "")
              : p.type === "text"
                ? p.text.body
                : p.type === "interactive"
                  ? p.interactive.body.text
                  : "";
          for (const p of out)
            if (p.type === "image") expect(len(p.image.caption ?? "")).toBeLessThanOrEqual(WA_LIMITS.imageCaption);
          const all = out.map(words).join("\n");
          for (const line of caption.split("\n").filter((l) => l.trim()))
            for (const piece of line.split(" ").filter(Boolean)) expect(all).toContain(piece);
          const offered = out.flatMap((p) =>
            p.type === "interactive"
              ? p.interactive.type === "button"
                ? p.interactive.action.buttons.map((b) => b.reply.id)
                : p.interactive.action.sections.flatMap((x) => x.rows.map((r) => r.id))
              : [],
          );
          if (offered.length > 0) expect(offered).toEqual(cs.map((c) => c.value));
          else for (const c of cs) expect(all).toContain(c.label);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("template parameters", () => {
  it("flattens new lines, tabs and runs of spaces, and caps the length", () => {
    expect(templateParam("Call Thandi\nabout\tthe      role")).toBe("Call Thandi about the   role");
    expect(templateParam("")).toBe("-");
    const long = templateParam("x".repeat(2000));
    expect(len(long)).toBe(900);
    expect(long.endsWith("…")).toBe(true);
  });
});

describe("Meta's error codes", () => {
  it("maps each code to what the delivery queue should do", () => {
    expect(classifyCode(130429)).toMatchObject({ status: "rate_limited", scope: "channel" });
    expect(classifyCode(131056)).toMatchObject({ status: "rate_limited", scope: "user", retryAfterMs: 6000 });
    expect(classifyCode(131049)).toMatchObject({ status: "rate_limited", scope: "user" });
    expect((classifyCode(131049) as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(3600_000);
    expect(classifyCode(131047)).toEqual({ status: "needs_template" });
    expect(classifyCode(131026)).toMatchObject({ status: "gone" });
    expect(classifyCode(131050)).toMatchObject({ status: "gone" });
    expect(classifyCode(131048)).toMatchObject({ status: "rejected" });
    expect(classifyCode(368)).toMatchObject({ status: "rejected" });
    expect(classifyCode(190)).toMatchObject({ status: "rejected", reason: expect.stringContaining("WHATSAPP_TOKEN") });
    expect(classifyCode(100, 401)).toMatchObject({
      status: "rejected",
      reason: expect.stringContaining("WHATSAPP_TOKEN"),
    });
    expect(classifyCode(0, 503)).toMatchObject({ status: "transient" });
    expect(classifyCode(100, 400)).toMatchObject({ status: "rejected" });
  });
});

describe("inbound", () => {
  it("maps Meta's fixtures: text, button reply, list reply, failed status", () => {
    const id = WA.phoneNumberId;
    const t = parseWebhook(fixture("text"), id).events[0]!;
    expect(t).toMatchObject({
      kind: "message",
      platformId: "27821234567",
      contact: { waId: "27821234567", userId: "ZA.1340921588021930" },
    });
    expect(t.kind === "message" && t.incoming).toMatchObject({
      kind: "text",
      text: "Hello",
      user: "whatsapp:27821234567",
      updateId: expect.stringMatching(/^wamid\./),
      sentAt: 1764120000_000,
    });
    const b = parseWebhook(fixture("button_reply"), id).events[0]!;
    expect(b.kind === "message" && b.incoming).toMatchObject({ kind: "choice", value: "start.consent:yes" });
    const l = parseWebhook(fixture("list_reply"), id).events[0]!;
    expect(l.kind === "message" && l.incoming).toMatchObject({ kind: "choice", value: "/tip" });
    const s = parseWebhook(fixture("status_failed"), id).events[0]!;
    expect(s).toMatchObject({
      kind: "status",
      status: "failed",
      platformId: "27821234567",
      errors: [{ code: 131026 }],
    });
  });

  it("does not answer system notices (a user changed their number)", () => {
    const p = fixture("text");
    const m = (p.entry[0]!.changes[0]!.value.messages as Record<string, unknown>[])[0]!;
    delete m.text;
    Object.assign(m, {
      type: "system",
      system: { body: "User changed number", type: "user_changed_number", wa_id: "27820000001" },
    });
    expect(parseWebhook(p, WA.phoneNumberId).events).toEqual([]);
  });

  it("ignores changes for another phone number of the same app", () => {
    const parsed = parseWebhook(fixture("text"), "999");
    expect(parsed).toEqual({ events: [], foreign: 1 });
  });

  it("guesses time zones from calling codes and business-scoped ids", () => {
    const fallback = "Africa/Johannesburg";
    expect(guessTimezone({ waId: "27821234567" }, "UTC")).toBe("Africa/Johannesburg");
    expect(guessTimezone({ waId: "254712345678" }, fallback)).toBe("Africa/Nairobi");
    expect(guessTimezone({ waId: "2348031234567" }, fallback)).toBe("Africa/Lagos");
    expect(guessTimezone({ waId: "447700900123" }, fallback)).toBe("Europe/London");
    expect(guessTimezone({ waId: "15551234567" }, "UTC")).toBe("UTC"); // several zones: not guessed
    expect(guessTimezone({ userId: "KE.123" }, fallback)).toBe("Africa/Nairobi");
    expect(guessTimezone({}, "UTC")).toBe("UTC");
  });
});

describe("webhook bodies of any shape", () => {
  const handed: WhatsAppEvent[][] = [];
  const server = injectable(
    whatsappWebhook({
      channel: {
        accepting: true,
        ready: async () => true,
        handleEvents: async (events) => void handed.push([...events]),
      },
      appSecret: WA.appSecret,
      verifyToken: WA.verifyToken,
      phoneNumberId: WA.phoneNumberId,
      log: silentLog,
    }),
  );
  afterAll(async () => (await server).close());
  const call = async (body: Buffer, signed = true) => {
    const res = await (await server).app.inject({
      method: "POST",
      url: "/whatsapp/webhook",
      headers: { "content-type": "application/json", ...(signed ? { "x-hub-signature-256": sign(body) } : {}) },
      payload: body,
    });
    return { status: res.statusCode };
  };

  it("never fail with 5xx, and yield only well-formed events", async () => {
    const small = fc.anything({ maxDepth: 2, maxKeys: 4 });
    // Meta's envelope with random values where messages, contacts and statuses go.
    const envelope = fc.record(
      {
        object: fc.constantFrom("whatsapp_business_account", "page", 42),
        entry: fc.array(
          fc.record({
            changes: fc.array(
              fc.record({
                value: fc.record(
                  {
                    metadata: fc.option(fc.record({ phone_number_id: fc.constantFrom(WA.phoneNumberId, "1", 7) })),
                    contacts: small,
                    messages: fc.array(
                      fc.record(
                        {
                          from: fc.oneof(fc.string(), fc.integer()),
                          id: small,
                          type: fc.constantFrom("text", "interactive", "button", "image", 3),
                          text: small,
                          interactive: small,
                          button: small,
                          timestamp: small,
                        },
                        { requiredKeys: [] },
                      ),
                    ),
                    statuses: small,
                  },
                  { requiredKeys: [] },
                ),
              }),
            ),
          }),
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(envelope, small), async (value) => {
        const body = Buffer.from(JSON.stringify(value) ?? "null");
        const res = await call(body);
        expect([200, 400]).toContain(res.status);
        if (typeof value === "object" && value && !Array.isArray(value)) {
          for (const e of parseWebhook(value as Record<string, unknown>, WA.phoneNumberId).events) {
            if (e.kind === "message") {
              expect(e.incoming.user).toMatch(/^whatsapp:[A-Za-z0-9._-]+$/);
              expect(typeof e.incoming.updateId).toBe("string");
            } else expect(typeof e.messageId).toBe("string");
          }
        }
        // Unsigned, the same body is refused before it is read.
        expect((await call(body, false)).status).toBe(401);
      }),
      { numRuns: 200 },
    );
  });
});

describe("WhatsApp template config", () => {
  const base = {
    WHATSAPP_TOKEN: "t",
    WHATSAPP_PHONE_NUMBER_ID: "1",
    WHATSAPP_APP_SECRET: "s",
    WHATSAPP_VERIFY_TOKEN: "v",
  };
  it("takes template names and a language, English by default", () => {
    const c = loadConfig({
      ...base,
      WHATSAPP_TEMPLATE_DAILY: "bounce_back_daily",
      WHATSAPP_TEMPLATE_REMINDER: "bounce_back_reminder",
    });
    expect(c).toMatchObject({
      whatsappEnabled: true,
      WHATSAPP_TEMPLATE_DAILY: "bounce_back_daily",
      WHATSAPP_TEMPLATE_REMINDER: "bounce_back_reminder",
      WHATSAPP_TEMPLATE_LANGUAGE: "en",
    });
    expect(loadConfig({ ...base, WHATSAPP_TEMPLATE_LANGUAGE: "pt_BR" }).WHATSAPP_TEMPLATE_LANGUAGE).toBe("pt_BR");
  });
  it("refuses names Meta would refuse, saying which variable", () => {
    expect(() => loadConfig({ ...base, WHATSAPP_TEMPLATE_DAILY: "Daily Boost!" })).toThrow(/WHATSAPP_TEMPLATE_DAILY/);
    expect(() => loadConfig({ ...base, WHATSAPP_TEMPLATE_LANGUAGE: "english" })).toThrow(/WHATSAPP_TEMPLATE_LANGUAGE/);
  });
});
