// Every flow the bot knows, in one list. app.ts (buildEngine) hands it to the engine.
import type { Flow } from "../flow.js";
import { professional, wellbeing } from "./care.js";
import { checkin } from "./checkin.js";
import { concern } from "./concern.js";
import { crisis } from "./crisis.js";
import { feedback } from "./feedback.js";
import { goals } from "./goals.js";
import { journal } from "./journal.js";
import { language } from "./language.js";
import { broadcast } from "./broadcast.js";
import { stats } from "./operator.js";
import { forget, mydata, privacy } from "./privacy.js";
import { practical } from "./practical.js";
import { progress } from "./progress.js";
import { reflect } from "./reflect.js";
import { daily } from "./daily.js";
import { reapply } from "./reapply.js";
import { cancelReminder, remind, reminderDone, snooze } from "./remind.js";
import { reminders, stop } from "./scheduled.js";
import { applications } from "./applications.js";
import { offer } from "./offer.js";
import { practice } from "./practice.js";
import { rejected, tip } from "./support.js";
import { cancel, help, start } from "./welcome.js";

export const coreFlows: readonly Flow[] = [
  start,
  help,
  cancel,
  rejected,
  tip,
  crisis,
  concern,
  reflect,
  journal,
  feedback,
  goals,
  progress,
  checkin,
  professional,
  wellbeing,
  practical,
  privacy,
  mydata,
  forget,
  stats,
  broadcast,
  applications,
  offer,
  practice,
  daily,
  stop,
  remind,
  reminders,
  cancelReminder,
  reminderDone,
  snooze,
  reapply,
  language,
];
