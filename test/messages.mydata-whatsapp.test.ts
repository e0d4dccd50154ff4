// /mydata on WhatsApp, through the real channel (fake Graph API, signed webhooks): the readable
// list, then the full JSON as a document (uploaded, sent by media id); if the upload fails, the
// list is followed by the note that no file could be sent, and nothing is lost.
import { describe, expect } from "vitest";
import { seen } from "./fakes/whatsapp.js";
import { en } from "./helpers/bot.js";
import { whatsappTest as it } from "./helpers/fixtures.js";

describe("/mydata on WhatsApp", () => {
  it("sends the readable list, then the JSON as a document", async ({ wa, write }) => {
    const user = "27825550201";
    await write(user, "hi", 2);
    await write(user, "1", 1); // consent: yes
    const [list, doc] = await write(user, "mydata", 2);
    expect(seen(list!).text).toContain("📄 Everything I keep about you");
    const d = doc!.payload as { type: string; document: { id: string; filename: string; caption: string } };
    expect(d.type).toBe("document");
    expect(d.document.filename).toMatch(/^bounce-back-my-data-\d{4}-\d\d-\d\d\.json$/);
    expect(d.document.caption).toBe(en.text("privacy.export_caption"));
    const upload = wa.uploads.find((u) => u.id === d.document.id)!;
    expect(upload.type).toBe("text/plain");
    expect(JSON.parse(upload.bytes.toString("utf8")).user).toBe(`whatsapp:${user}`);
  });

  it("sends the note instead of the file when the upload fails", async ({ wa, write }) => {
    const user = "27825550202";
    await write(user, "hi", 2);
    await write(user, "1", 1);
    wa.fail({ edge: "media", code: 500, times: 10 });
    const [list, note] = (await write(user, "mydata", 2)).map((s) => seen(s).text);
    expect(list).toContain("📄 Everything I keep about you");
    expect(note).toBe(en.text("privacy.export_no_file"));
  });
});
