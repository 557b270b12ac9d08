import { type Kysely, sql } from "kysely";
import { pathToFileURL } from "node:url";
import { closeDb, db } from "./client";
import { env as dbEnv } from "#core/env";
import { unknownPlaceholders } from "#core/letter-templates";
import { createCampaigner } from "./queries/campaigners";
import { migrateToLatest } from "./migrate";
import type { Database, NewTarget } from "./schema";

type Language = "en" | "es";

const CAMPAIGN_SLUG = "peru-innocent-prisoners";

const CAMPAIGN_TRANSLATIONS: Record<Language, { title: string; summary: string; story: string }> = {
  en: {
    title: "Free Peru's innocent prisoners",
    summary:
      "Years after Peru's 1992 “anti-terrorist” laws, people convicted of “terrorism” they had nothing to do with are still locked up in the country's harshest prisons. Ask the Government of Peru to set them free and make amends.",
    story: `In 1992 Peru adopted sweeping “anti-terrorist” legislation. Loosely drafted and broadly applied, it put hundreds of people behind bars for acts they had no part in. Human-rights researchers have since recorded at least 1,100 cases of these “innocent prisoners”.

Many of them have regained their freedom, some through the Pardon Commissions created in 1996 and others through the courts. Yet in 2003, three years after Alberto Fujimori's government collapsed and more than a decade after the laws were passed, researchers could still name at least 20 people serving time in maximum-security prisons for “terrorism” offences they did not commit. They are very likely only a small share of everyone who is still wrongly held.

A new Pardon Commission was set up when President Alejandro Toledo took office. It can only do its job if it has the people and the funding to go through every pending case quickly. Prison authorities, for their part, should be actively searching their own records for anyone who may be innocent.

There has been some progress. In January 2003 the Constitutional Court found that parts of the legislation were incompatible with Peru's Constitution, and the government amended it by decree. Some political prisoners are now being tried again, in public hearings, before civilian courts. But the law still gives no clear definition of “terrorism”, which leaves the door open to new injustices.

We are asking the Government of Peru to:

- release every innocent prisoner at once and without conditions, clear their records and compensate them fairly;
- give the Pardon Commission what it needs to settle all outstanding cases without delay;
- close the Challapalca and Yanamayo maximum-security prisons, as the Inter-American Commission on Human Rights has decided.

Every signature adds to the pressure. Add your name and help these men and women get their lives back.`,
  },
  es: {
    title: "Libertad para los presos inocentes del Perú",
    summary:
      "Años después de las leyes “antiterroristas” de 1992, personas condenadas por un “terrorismo” con el que nada tuvieron que ver siguen encerradas en los penales más duros del país. Pide al Gobierno del Perú que las libere y repare el daño causado.",
    story: `En 1992 el Perú promulgó una legislación “antiterrorista” de amplísimo alcance. Redactada con vaguedad y aplicada sin mayor rigor, llevó a prisión a cientos de personas por hechos en los que no tuvieron participación alguna. Desde entonces, investigadores de derechos humanos han documentado al menos 1100 casos de estos “presos inocentes”.

Muchas de esas personas ya recuperaron la libertad, unas gracias a las comisiones de indulto creadas en 1996 y otras por decisión de los tribunales. Sin embargo, en 2003, tres años después de la caída del gobierno de Alberto Fujimori y más de una década después de aprobadas esas leyes, los investigadores aún podían identificar por lo menos a 20 personas recluidas en penales de máxima seguridad por delitos de “terrorismo” que no cometieron. Lo más probable es que sean apenas una pequeña parte de quienes siguen presos injustamente.

Con la llegada al poder del presidente Alejandro Toledo se creó una nueva Comisión Especial de Indultos. Para cumplir su tarea necesita personal y presupuesto suficientes que le permitan revisar con rapidez todos los casos pendientes. Las autoridades penitenciarias, por su parte, deberían revisar activamente sus registros en busca de toda persona que pueda ser inocente.

Ha habido algunos avances. En enero de 2003 el Tribunal Constitucional declaró que parte de esa legislación era contraria a la Constitución, y el Poder Ejecutivo la modificó mediante decretos. Hoy algunos presos políticos están siendo juzgados nuevamente, en audiencias públicas, ante la justicia civil. Pero la ley sigue sin definir con claridad qué es el “terrorismo”, y eso deja abierta la puerta a nuevas injusticias.

Pedimos al Gobierno del Perú que:

- libere de inmediato y sin condiciones a todas las personas presas inocentes, anule sus antecedentes penales y las indemnice de manera justa;
- dote a la Comisión Especial de Indultos de lo necesario para resolver sin demora los casos pendientes;
- cierre los penales de máxima seguridad de Challapalca y Yanamayo, tal como lo decidió la Comisión Interamericana de Derechos Humanos.

Cada firma suma. Agrega tu nombre y ayuda a que estos hombres y mujeres puedan rehacer su vida.`,
  },
};

type TargetKey = "president" | "justice" | "pardons";

const TARGETS: Record<TargetKey, NewTarget & { email: string }> = {
  president: {
    name: "Presidente de la República",
    title: "Presidente de la República del Perú",
    organisation: "Despacho Presidencial",
    country: "PE",
    email: "despacho.presidencial@gob-pe.example",
    postal_address: "Palacio de Gobierno\nJirón de la Unión s/n, Plaza Mayor\nCercado de Lima 15001\nLima, Perú",
    language: "es",
    time_zone: "America/Lima",
  },
  justice: {
    name: "Ministro de Justicia",
    title: "Ministro de Justicia",
    organisation: "Ministerio de Justicia",
    country: "PE",
    email: "ministro@minjus-pe.example",
    postal_address: "Ministerio de Justicia\nCalle Scipión Llona 350\nMiraflores 15074\nLima, Perú",
    language: "es",
    time_zone: "America/Lima",
  },
  pardons: {
    name: "Presidente de la Comisión Especial de Indultos",
    title: "Presidente de la Comisión Especial de Indultos",
    organisation: "Comisión Especial de Indultos, Ministerio de Justicia",
    country: "PE",
    email: "comision.indultos@minjus-pe.example",
    postal_address: "Comisión Especial de Indultos\nMinisterio de Justicia\nCalle Scipión Llona 350\nMiraflores 15074\nLima, Perú",
    language: "es",
    time_zone: "America/Lima",
  },
};

interface SeedAction {
  slug: string;
  kind?: "petition" | "letter";
  goal: number;
  targets: TargetKey[];
  translations: Record<Language, { title: string; ask: string; letter_subject?: string; letter_body?: string }>;
}

const ACTIONS: SeedAction[] = [
  {
    slug: "free-the-innocent",
    goal: 5000,
    targets: ["president", "justice", "pardons"],
    translations: {
      en: {
        title: "Free every innocent prisoner now",
        ask: "We call on the Government of Peru to release at once, and without conditions, every person held on false “terrorism” charges. Their criminal records must be wiped clean, and they must receive fair compensation that lets them make a fresh start. No one should spend another day in prison for a crime they did not commit.",
      },
      es: {
        title: "Libertad inmediata para todos los presos inocentes",
        ask: "Pedimos al Gobierno del Perú que ponga en libertad, de inmediato y sin condiciones, a todas las personas encarceladas por falsas acusaciones de “terrorismo”. Deben anularse sus antecedentes penales y deben recibir una indemnización justa que les permita empezar de nuevo. Nadie debería pasar un día más en prisión por un delito que no cometió.",
      },
    },
  },
  {
    slug: "write-to-the-minister",
    kind: "letter",
    goal: 2000,
    targets: ["justice", "pardons"],
    translations: {
      en: {
        title: "Write to the Minister of Justice",
        ask: "A personal letter carries weight that a signature alone cannot. Write to Peru's Minister of Justice and to the head of the Pardon Commission: ask them to free every innocent prisoner, clear their names, and give the Commission what it needs to finish its work.",
        letter_subject: "Free the innocent prisoners held under the 1992 anti-terrorist laws",
        letter_body: `Dear {{target.title}},

I am writing to you from {{supporter.country}} about the men and women who are still in prison in Peru for “terrorism” offences they did not commit.

More than ten years after the 1992 anti-terrorist legislation, at least 20 such prisoners remain in maximum-security jails, and there are likely many more. I respectfully urge you to:

- release every innocent prisoner immediately and unconditionally;
- erase their criminal records and compensate them fairly, so they can rebuild their lives;
- give the Pardon Commission the staff and resources it needs to review every outstanding case without delay;
- comply with the Inter-American Commission on Human Rights' decision to close the Challapalca and Yanamayo prisons.

Thank you for your attention to this matter.

Yours sincerely,
{{supporter.name}}`,
      },
      es: {
        title: "Escribe al Ministro de Justicia",
        ask: "Una carta personal pesa más que una firma. Escribe al Ministro de Justicia del Perú y al presidente de la Comisión Especial de Indultos: pídeles que liberen a todas las personas presas inocentes, limpien su nombre y den a la Comisión lo que necesita para terminar su trabajo.",
        letter_subject: "Libertad para los presos inocentes condenados con la legislación antiterrorista de 1992",
        letter_body: `Estimado/a {{target.title}}:

Le escribo desde {{supporter.country}} en relación con los hombres y las mujeres que siguen presos en el Perú por delitos de “terrorismo” que no cometieron.

Más de diez años después de la legislación antiterrorista de 1992, al menos 20 de estas personas continúan en penales de máxima seguridad, y probablemente son muchas más. Le pido respetuosamente que:

- disponga la libertad inmediata e incondicional de todas las personas presas inocentes;
- anule sus antecedentes penales y les otorgue una indemnización justa para que puedan rehacer su vida;
- dote a la Comisión Especial de Indultos del personal y los recursos necesarios para revisar sin demora todos los casos pendientes;
- cumpla la decisión de la Comisión Interamericana de Derechos Humanos de cerrar los penales de Challapalca y Yanamayo.

Le agradezco de antemano su atención.

Atentamente,
{{supporter.name}}`,
      },
    },
  },
  {
    slug: "resource-the-pardon-commission",
    goal: 3000,
    targets: ["justice", "pardons"],
    translations: {
      en: {
        title: "Give the Pardon Commission what it needs",
        ask: "We call on the Government of Peru to provide the Pardon Commission with enough staff and funding to examine every outstanding case without further delay. We also ask that prison authorities be instructed to identify every inmate who may have been wrongly convicted, so that no case is overlooked.",
      },
      es: {
        title: "Recursos para la Comisión Especial de Indultos",
        ask: "Pedimos al Gobierno del Perú que dote a la Comisión Especial de Indultos del personal y el presupuesto necesarios para revisar sin más demora todos los casos pendientes. Asimismo, solicitamos que se ordene a las autoridades penitenciarias identificar a cada interno que pueda haber sido condenado injustamente, para que ningún caso quede en el olvido.",
      },
    },
  },
  {
    slug: "close-challapalca-and-yanamayo",
    goal: 3000,
    targets: ["president", "justice"],
    translations: {
      en: {
        title: "Close the Challapalca and Yanamayo prisons",
        ask: "We call on the Government of Peru to respect the decision of the Inter-American Commission on Human Rights and close the Challapalca and Yanamayo maximum-security prisons. Peru belongs to the inter-American human-rights system and should honour its commitments without further delay.",
      },
      es: {
        title: "Cierre de los penales de Challapalca y Yanamayo",
        ask: "Pedimos al Gobierno del Perú que acate la decisión de la Comisión Interamericana de Derechos Humanos y cierre los penales de máxima seguridad de Challapalca y Yanamayo. El Perú forma parte del sistema interamericano de derechos humanos y debe cumplir sus compromisos sin más dilaciones.",
      },
    },
  },
];

for (const action of ACTIONS) {
  for (const t of Object.values(action.translations)) {
    const unknown = unknownPlaceholders(`${t.letter_subject ?? ""} ${t.letter_body ?? ""}`);
    if (unknown.length) throw new Error(`seed: ${action.slug} uses unknown placeholders: ${unknown.join(", ")}`);
  }
}

/** Creates or refreshes the Peru innocent-prisoners demo campaign, its actions and targets; safe to run repeatedly. */
export async function seedDemo(db: Kysely<Database>): Promise<{ campaignSlug: string }> {
  await db.transaction().execute(async (trx) => {
    // Targets have no unique key to conflict on, so concurrent seeds must not both miss the lookup and insert.
    await sql`select pg_advisory_xact_lock(hashtext('inkwell:seed-demo'))`.execute(trx);

    const campaign = await trx
      .insertInto("campaigns")
      .values({
        slug: CAMPAIGN_SLUG, status: "live", default_language: "en", goal: 5000, launched_at: new Date(),
        // Drawn for the campaign and served from public/: a barred window letting light onto a letter.
        image_url: "/images/peru-letters.svg",
        reply_to: "peru-campaign@inkwell.example",
      })
      .onConflict((oc) =>
        oc.column("slug").doUpdateSet((eb) => ({
          status: eb.ref("excluded.status"),
          default_language: eb.ref("excluded.default_language"),
          goal: eb.ref("excluded.goal"),
          image_url: eb.ref("excluded.image_url"),
          reply_to: eb.ref("excluded.reply_to"),
          launched_at: eb.fn.coalesce("campaigns.launched_at", "excluded.launched_at"),
          closed_at: null,
        })),
      )
      .returning("id")
      .executeTakeFirstOrThrow();

    await trx
      .insertInto("campaign_translations")
      .values(
        Object.entries(CAMPAIGN_TRANSLATIONS).map(([language, t]) => ({ campaign_id: campaign.id, language, ...t })),
      )
      .onConflict((oc) =>
        oc.columns(["campaign_id", "language"]).doUpdateSet((eb) => ({
          title: eb.ref("excluded.title"),
          summary: eb.ref("excluded.summary"),
          story: eb.ref("excluded.story"),
        })),
      )
      .execute();

    const targetIds = {} as Record<TargetKey, number>;
    for (const [key, target] of Object.entries(TARGETS) as [TargetKey, NewTarget & { email: string }][]) {
      const existing = await trx.selectFrom("targets").select("id").where("email", "=", target.email).orderBy("id").executeTakeFirst();
      if (existing) {
        await trx.updateTable("targets").set(target).where("id", "=", existing.id).execute();
        targetIds[key] = existing.id;
      } else {
        targetIds[key] = (await trx.insertInto("targets").values(target).returning("id").executeTakeFirstOrThrow()).id;
      }
    }

    for (const [position, action] of ACTIONS.entries()) {
      const { id: actionId } = await trx
        .insertInto("actions")
        .values({ campaign_id: campaign.id, slug: action.slug, kind: action.kind ?? "petition", goal: action.goal, position })
        .onConflict((oc) =>
          oc.columns(["campaign_id", "slug"]).doUpdateSet((eb) => ({
            kind: eb.ref("excluded.kind"),
            goal: eb.ref("excluded.goal"),
            position: eb.ref("excluded.position"),
          })),
        )
        .returning("id")
        .executeTakeFirstOrThrow();

      await trx
        .insertInto("action_translations")
        .values(
          Object.entries(action.translations).map(([language, t]) => ({
            action_id: actionId, language, letter_subject: null, letter_body: null, ...t,
          })),
        )
        .onConflict((oc) =>
          oc.columns(["action_id", "language"]).doUpdateSet((eb) => ({
            title: eb.ref("excluded.title"),
            ask: eb.ref("excluded.ask"),
            letter_subject: eb.ref("excluded.letter_subject"),
            letter_body: eb.ref("excluded.letter_body"),
          })),
        )
        .execute();

      await trx
        .insertInto("action_targets")
        .values(action.targets.map((key, i) => ({ action_id: actionId, target_id: targetIds[key], position: i })))
        .onConflict((oc) => oc.columns(["action_id", "target_id"]).doUpdateSet((eb) => ({ position: eb.ref("excluded.position") })))
        .execute();

      await trx
        .insertInto("action_counters")
        .values({ action_id: actionId, confirmed: 0 })
        .onConflict((oc) => oc.column("action_id").doNothing())
        .execute();
    }
  });
  return { campaignSlug: CAMPAIGN_SLUG };
}

/** The demo's workspace account: an admin who owns the demo campaign. Never used outside the demo. */
export const DEMO_CAMPAIGNER = { email: "campaigner@inkwell.example", name: "Demo Campaigner", password: "letters-for-peru-2003" } as const;

/** Creates the demo campaigner (once) and makes them the owner of the demo campaign. */
export async function seedDemoCampaigner(db: Kysely<Database>): Promise<typeof DEMO_CAMPAIGNER> {
  const existing = await db.selectFrom("campaigners").select("id").where("email", "=", DEMO_CAMPAIGNER.email).executeTakeFirst();
  const id = existing?.id ?? (await createCampaigner(db, { ...DEMO_CAMPAIGNER, role: "admin" })).id;
  const campaign = await db.selectFrom("campaigns").select("id").where("slug", "=", CAMPAIGN_SLUG).executeTakeFirstOrThrow();
  await db.updateTable("campaigns").set({ created_by: id }).where("id", "=", campaign.id).where("created_by", "is", null).execute();
  await db
    .insertInto("campaign_members")
    .values({ campaign_id: campaign.id, campaigner_id: id, role: "owner" })
    .onConflict((oc) => oc.columns(["campaign_id", "campaigner_id"]).doNothing())
    .execute();
  return DEMO_CAMPAIGNER;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await migrateToLatest(dbEnv().DATABASE_URL);
  try {
    const { campaignSlug } = await seedDemo(db());
    // The demo account's password is published: it exists only when demo mode is asked for.
    if (dbEnv().DEMO_MODE && dbEnv().NODE_ENV !== "production") {
      const who = await seedDemoCampaigner(db());
      console.log(`Seeded demo campaign "${campaignSlug}"; workspace sign-in: ${who.email} / ${who.password}`);
    } else {
      console.log(`Seeded demo campaign "${campaignSlug}". No workspace account was made: add one with \`npm run cli -- campaigner add\` (or run with DEMO_MODE=1 for the demo account).`);
    }
  } finally {
    await closeDb();
  }
}
