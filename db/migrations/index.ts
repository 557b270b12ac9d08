import type { Migration } from "kysely";
import * as foundation from "./2026-11-28T10-00_foundation";
import * as letters from "./2026-11-28T14-00_letters-and-deliveries";
import * as campaigners from "./2026-11-28T17-00_campaigners";
import * as trust from "./2026-11-28T17-10_trust-and-privacy";
import * as updates from "./2026-11-28T17-20_updates";
import * as workspaceIndexes from "./2026-11-28T17-40_workspace-indexes";
import * as passwordResetRequests from "./2026-12-02T10-20_password-reset-requests";
import * as twoFactor from "./2026-12-02T10-30_two-factor";
import * as apiKeys from "./2026-12-02T10-50_api-keys";
import * as webhooks from "./2026-12-02T10-51_webhooks";
import * as signatureSources from "./2026-12-02T10-52_signature-sources";
import * as deliveryTruth from "./2026-12-02T10-40_delivery-truth";
import * as languageTags from "./2026-12-02T11-00_language-tags";
import * as embedOrigins from "./2026-12-02T12-10_embed-origins";
import * as outboxSweeps from "./2026-12-02T13-00_outbox-sweeps";
import * as outcomes from "./2026-12-02T13-20_outcomes";
import * as staffAlerts from "./2026-12-02T14-10_staff-alerts";
import * as updateAudienceIndex from "./2026-12-06T21-45_update-audience-index";
import * as officialGender from "./2026-12-02T13-00_official-gender";

/** Every migration, by name; names sort in the order they apply. Add new ones at the end. */
export const migrations: Record<string, Migration> = {
  "2026-11-28T10-00_foundation": foundation,
  "2026-11-28T14-00_letters-and-deliveries": letters,
  "2026-11-28T17-00_campaigners": campaigners,
  "2026-11-28T17-10_trust-and-privacy": trust,
  "2026-11-28T17-20_updates": updates,
  "2026-11-28T17-40_workspace-indexes": workspaceIndexes,
  "2026-12-02T10-20_password-reset-requests": passwordResetRequests,
  "2026-12-02T10-30_two-factor": twoFactor,
  "2026-12-02T10-50_api-keys": apiKeys,
  "2026-12-02T10-51_webhooks": webhooks,
  "2026-12-02T10-52_signature-sources": signatureSources,
  "2026-12-02T10-40_delivery-truth": deliveryTruth,
  "2026-12-02T11-00_language-tags": languageTags,
  "2026-12-02T12-10_embed-origins": embedOrigins,
  "2026-12-02T13-00_outbox-sweeps": outboxSweeps,
  "2026-12-02T13-20_outcomes": outcomes,
  "2026-12-02T14-10_staff-alerts": staffAlerts,
  "2026-12-02T13-00_official-gender": officialGender,
  "2026-12-06T21-45_update-audience-index": updateAudienceIndex,
};
