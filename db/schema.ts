import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type CampaignStatus = "draft" | "live" | "closed" | "archived";
export type ActionKind = "petition" | "letter";
export type DeliveryMode = "interval" | "daily" | "threshold" | "manual";
export type DeliveryStatus = "pending" | "sent" | "failed";
export type SignatureStatus = "pending" | "confirmed" | "expired" | "invalidated";

export interface CampaignsTable {
  id: Generated<number>;
  slug: string;
  status: ColumnType<CampaignStatus, CampaignStatus | undefined, CampaignStatus>;
  default_language: ColumnType<string, string | undefined, string>;
  goal: ColumnType<number, number | undefined, number>;
  image_url: string | null;
  reply_to: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  launched_at: NullableTimestamp;
  closed_at: NullableTimestamp;
}

export interface CampaignTranslationsTable {
  campaign_id: number;
  language: string;
  title: string;
  summary: string;
  story: string;
}

export interface ActionsTable {
  id: Generated<number>;
  campaign_id: number;
  slug: string;
  kind: ActionKind;
  goal: number;
  position: ColumnType<number, number | undefined, number>;
  letter_editable: ColumnType<boolean, boolean | undefined, boolean>;
  delivery_mode: ColumnType<DeliveryMode, DeliveryMode | undefined, DeliveryMode>;
  delivery_every_hours: ColumnType<number, number | undefined, number>;
  delivery_local_hour: ColumnType<number, number | undefined, number>;
  delivery_threshold: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}

export interface ActionTranslationsTable {
  action_id: number;
  language: string;
  title: string;
  ask: string;
  letter_subject: string | null;
  letter_body: string | null;
}

export interface TargetsTable {
  id: Generated<number>;
  name: string;
  title: string;
  organisation: string;
  country: string;
  email: string | null;
  postal_address: ColumnType<string, string | undefined, string>;
  language: ColumnType<string, string | undefined, string>;
  time_zone: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
}

export interface ActionTargetsTable {
  action_id: number;
  target_id: number;
  position: ColumnType<number, number | undefined, number>;
}

export interface SupportersTable {
  id: Generated<number>;
  email: string;
  language: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  erased_at: NullableTimestamp;
}

export interface SignaturesTable {
  id: Generated<number>;
  action_id: number;
  supporter_id: number;
  status: ColumnType<SignatureStatus, SignatureStatus | undefined, SignatureStatus>;
  name: string;
  country: string;
  postal_code: string | null;
  comment: string | null;
  language: string;
  updates_opt_in: ColumnType<boolean, boolean | undefined, boolean>;
  ip_hash: Buffer | null;
  emails_requested: ColumnType<number, number | undefined, number>;
  emails_sent: ColumnType<number, number | undefined, number>;
  counted: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  last_email_at: NullableTimestamp;
  reminded_at: NullableTimestamp;
  confirmed_at: NullableTimestamp;
  expired_at: NullableTimestamp;
  invalidated_at: NullableTimestamp;
  invalidated_reason: string | null;
}

export type TokenPurpose = "confirm_signature";

export interface TokensTable {
  hash: Buffer;
  purpose: TokenPurpose;
  signature_id: number | null;
  supporter_id: number | null;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface ConsentsTable {
  id: Generated<number>;
  supporter_id: number;
  signature_id: number | null;
  campaign_id: number;
  kind: "privacy_notice" | "updates";
  wording: string;
  language: string;
  source: string;
  ip_hash: Buffer | null;
  given_at: Timestamp;
  withdrawn_at: NullableTimestamp;
}

export interface ActionCountersTable {
  action_id: number;
  confirmed: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface LettersTable {
  signature_id: number;
  subject: string;
  body: string;
  edited: ColumnType<boolean, boolean | undefined, boolean>;
  language: string;
  scrubbed_at: NullableTimestamp;
}

export interface LetterRecipientsTable {
  signature_id: number;
  target_id: number;
}

export interface DeliveriesTable {
  id: Generated<number>;
  action_id: number;
  target_id: number;
  seq: number;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  items: ColumnType<number, number | undefined, number>;
  items_to_date: ColumnType<number, number | undefined, number>;
  parts: ColumnType<number, number | undefined, number>;
  trigger: string;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  error: string | null;
}

export interface DeliveryPartsTable {
  delivery_id: number;
  part: number;
  first_signature_id: number;
  last_signature_id: number;
  items: number;
  message_id: string;
  sent_at: NullableTimestamp;
}

export interface DeliveryItemsTable {
  signature_id: number;
  target_id: number;
  delivery_id: number;
}

export interface Database {
  campaigns: CampaignsTable;
  campaign_translations: CampaignTranslationsTable;
  actions: ActionsTable;
  action_translations: ActionTranslationsTable;
  targets: TargetsTable;
  action_targets: ActionTargetsTable;
  supporters: SupportersTable;
  signatures: SignaturesTable;
  tokens: TokensTable;
  consents: ConsentsTable;
  action_counters: ActionCountersTable;
  letters: LettersTable;
  letter_recipients: LetterRecipientsTable;
  deliveries: DeliveriesTable;
  delivery_parts: DeliveryPartsTable;
  delivery_items: DeliveryItemsTable;
}

export type Campaign = Selectable<CampaignsTable>;
export type NewCampaign = Insertable<CampaignsTable>;
export type CampaignUpdate = Updateable<CampaignsTable>;
export type Action = Selectable<ActionsTable>;
export type NewAction = Insertable<ActionsTable>;
export type Target = Selectable<TargetsTable>;
export type NewTarget = Insertable<TargetsTable>;
export type Supporter = Selectable<SupportersTable>;
export type Signature = Selectable<SignaturesTable>;
export type NewSignature = Insertable<SignaturesTable>;
export type Delivery = Selectable<DeliveriesTable>;
export type DeliveryPart = Selectable<DeliveryPartsTable>;
