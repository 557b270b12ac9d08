import { type Kysely, sql } from "kysely";
import { pathToFileURL } from "node:url";
import { closeDb, db } from "./client";
import { env as dbEnv } from "#core/env";
import { unknownPlaceholders } from "#core/letter-templates";
import { createCampaigner } from "./queries/campaigners";
import type { Database, NewTarget } from "./schema";

type Language = "en" | "es" | "fr" | "ar";

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
  fr: {
    title: "Libérez les prisonniers innocents du Pérou",
    summary:
      "Des années après les lois « antiterroristes » péruviennes de 1992, des personnes condamnées pour un « terrorisme » auquel elles n’ont jamais pris part sont toujours enfermées dans les prisons les plus dures du pays. Demandez au gouvernement du Pérou de les libérer et de réparer le tort subi.",
    story: `En 1992, le Pérou s’est doté d’une législation « antiterroriste » d’une portée considérable. Rédigée en termes flous et appliquée sans discernement, elle a envoyé en prison des centaines de personnes pour des actes auxquels elles étaient étrangères. Les chercheurs en droits humains ont depuis recensé au moins 1 100 cas de ces « prisonniers innocents ».

Beaucoup ont retrouvé la liberté, certains grâce aux commissions de grâce créées en 1996, d’autres par décision de justice. Pourtant, en 2003, trois ans après la chute du gouvernement d’Alberto Fujimori et plus de dix ans après l’adoption de ces lois, les chercheurs pouvaient encore nommer au moins 20 personnes détenues dans des prisons de haute sécurité pour des faits de « terrorisme » qu’elles n’avaient pas commis. Elles ne sont sans doute qu’une petite partie de toutes celles qui restent injustement incarcérées.

À l’arrivée au pouvoir du président Alejandro Toledo, une nouvelle commission de grâce a vu le jour. Elle ne pourra remplir sa mission que si on lui donne le personnel et les moyens d’examiner rapidement chaque dossier en attente. Les autorités pénitentiaires, de leur côté, devraient passer activement leurs registres au crible pour repérer toute personne susceptible d’être innocente.

Des progrès ont été faits. En janvier 2003, le Tribunal constitutionnel a jugé une partie de cette législation contraire à la Constitution, et le gouvernement l’a modifiée par décret. Certains prisonniers politiques sont aujourd’hui rejugés, en audience publique, devant des tribunaux civils. Mais la loi ne définit toujours pas clairement le « terrorisme », ce qui laisse la porte ouverte à de nouvelles injustices.

Nous demandons au gouvernement du Pérou :

- de libérer immédiatement et sans condition tous les prisonniers innocents, d’effacer leur casier judiciaire et de les indemniser équitablement ;
- de donner à la commission de grâce les moyens de régler sans attendre tous les dossiers en suspens ;
- de fermer les prisons de haute sécurité de Challapalca et de Yanamayo, comme l’a décidé la Commission interaméricaine des droits de l’homme.

Chaque signature compte. Ajoutez votre nom pour aider ces femmes et ces hommes à reprendre le cours de leur vie.`,
  },
  ar: {
    title: "الحرية لسجناء البيرو الأبرياء",
    summary:
      "بعد سنوات من صدور قوانين «مكافحة الإرهاب» في البيرو عام 1992، لا يزال أشخاص أُدينوا بـ«إرهاب» لا صلة لهم به يقبعون في أقسى سجون البلاد. اطلب من حكومة البيرو أن تطلق سراحهم وأن تنصفهم.",
    story: `في عام 1992 أصدرت البيرو تشريعًا واسع النطاق «لمكافحة الإرهاب». وقد صيغ بعبارات فضفاضة وطُبِّق على نطاق واسع، فزجّ بمئات الأشخاص في السجون بسبب أفعال لم تكن لهم يد فيها. ومنذ ذلك الحين وثّق باحثون في مجال حقوق الإنسان ما لا يقل عن 1100 حالة من هؤلاء «السجناء الأبرياء».

استعاد كثيرون منهم حريتهم، بعضهم عبر لجان العفو التي أُنشئت عام 1996 وبعضهم بأحكام قضائية. غير أن الباحثين كانوا لا يزالون، في عام 2003، أي بعد ثلاث سنوات من سقوط حكومة ألبرتو فوجيموري وأكثر من عقد على صدور تلك القوانين، قادرين على تسمية 20 شخصًا على الأقل يقضون أحكامًا في سجون شديدة الحراسة بتهم «إرهاب» لم يرتكبوها. ومن المرجح أنهم ليسوا سوى جزء يسير ممن لا يزالون محتجزين ظلمًا.

ومع تولي الرئيس أليخاندرو توليدو السلطة أُنشئت لجنة عفو جديدة. ولن تتمكن من أداء مهمتها ما لم تُمنح من الموظفين والموارد ما يتيح لها النظر سريعًا في كل القضايا العالقة. وعلى سلطات السجون من جهتها أن تراجع سجلاتها بنشاط بحثًا عن كل من قد يكون بريئًا.

وقد تحقق بعض التقدم. ففي يناير/كانون الثاني 2003 قضت المحكمة الدستورية بأن أجزاء من هذا التشريع تتعارض مع الدستور، فعدّلته الحكومة بمراسيم. ويُعاد اليوم تقديم بعض السجناء السياسيين إلى المحاكمة، في جلسات علنية، أمام محاكم مدنية. لكن القانون لا يزال يخلو من تعريف واضح «للإرهاب»، مما يترك الباب مفتوحًا أمام مظالم جديدة.

نطالب حكومة البيرو بما يلي:

- الإفراج فورًا ودون قيد أو شرط عن جميع السجناء الأبرياء، ومحو سجلاتهم الجنائية، وتعويضهم تعويضًا عادلًا؛
- تزويد لجنة العفو بما تحتاجه للبت دون إبطاء في كل القضايا العالقة؛
- إغلاق سجني تشالابالكا ويانامايو شديدي الحراسة، تنفيذًا لقرار لجنة البلدان الأمريكية لحقوق الإنسان.

كل توقيع يزيد الضغط. أضف اسمك وساعد هؤلاء النساء والرجال على استعادة حياتهم.`,
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
    // The offices are named in the masculine, and letters greet them to agree ("Estimado Ministro").
    gender: "male",
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
    // The offices are named in the masculine, and letters greet them to agree ("Estimado Ministro").
    gender: "male",
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
    // The offices are named in the masculine, and letters greet them to agree ("Estimado Ministro").
    gender: "male",
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
      fr: {
        title: "Libérez dès maintenant tous les prisonniers innocents",
        ask: "Nous demandons au gouvernement du Pérou de libérer immédiatement et sans condition toutes les personnes détenues sur la base de fausses accusations de « terrorisme ». Leur casier judiciaire doit être effacé et elles doivent recevoir une indemnisation équitable qui leur permette de repartir de zéro. Personne ne devrait passer un jour de plus en prison pour un crime qu’il n’a pas commis.",
      },
      ar: {
        title: "أطلقوا سراح جميع السجناء الأبرياء الآن",
        ask: "نطالب حكومة البيرو بالإفراج فورًا ودون قيد أو شرط عن كل شخص محتجز بتهم «إرهاب» ملفقة. يجب محو سجلاتهم الجنائية، ومنحهم تعويضًا عادلًا يتيح لهم بداية جديدة. لا ينبغي أن يقضي أحد يومًا آخر في السجن بسبب جريمة لم يرتكبها.",
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
      fr: {
        title: "Écrivez au ministre de la Justice",
        ask: "Une lettre personnelle a un poids qu’une simple signature n’a pas. Écrivez au ministre de la Justice du Pérou et au président de la commission de grâce : demandez-leur de libérer tous les prisonniers innocents, de laver leur nom et de donner à la commission les moyens d’achever son travail.",
        letter_subject: "Libérez les prisonniers innocents condamnés en vertu des lois antiterroristes de 1992",
        letter_body: `{{target.title}},

Je vous écris depuis {{supporter.country}} au sujet des femmes et des hommes qui sont toujours emprisonnés au Pérou pour des faits de « terrorisme » qu’ils n’ont pas commis.

Plus de dix ans après la législation antiterroriste de 1992, au moins 20 de ces prisonniers se trouvent encore dans des établissements de haute sécurité, et ils sont sans doute bien plus nombreux. Je vous demande respectueusement :

- de libérer immédiatement et sans condition tous les prisonniers innocents ;
- d’effacer leur casier judiciaire et de les indemniser équitablement, afin qu’ils puissent reconstruire leur vie ;
- de doter la commission de grâce du personnel et des moyens nécessaires pour examiner sans délai tous les dossiers en attente ;
- de respecter la décision de la Commission interaméricaine des droits de l’homme de fermer les prisons de Challapalca et de Yanamayo.

Je vous remercie de l’attention que vous porterez à cette demande.

Veuillez agréer l’expression de ma haute considération,
{{supporter.name}}`,
      },
      ar: {
        title: "اكتب إلى وزير العدل",
        ask: "للرسالة الشخصية وزن لا يبلغه التوقيع وحده. اكتب إلى وزير العدل في البيرو وإلى رئيس لجنة العفو: اطلب منهما الإفراج عن جميع السجناء الأبرياء، ورد الاعتبار إليهم، وتزويد اللجنة بما تحتاجه لإتمام عملها.",
        letter_subject: "الحرية للسجناء الأبرياء المدانين بموجب قوانين مكافحة الإرهاب لعام 1992",
        letter_body: `إلى {{target.title}}،

أكتب إليكم من {{supporter.country}} بشأن النساء والرجال الذين لا يزالون مسجونين في البيرو بتهم «إرهاب» لم يرتكبوها.

فبعد أكثر من عشر سنوات على تشريع مكافحة الإرهاب لعام 1992، لا يزال 20 سجينًا على الأقل من هؤلاء في سجون شديدة الحراسة، والأرجح أن عددهم أكبر بكثير. وإنني أرجو منكم بكل احترام:

- الإفراج فورًا ودون قيد أو شرط عن جميع السجناء الأبرياء؛
- محو سجلاتهم الجنائية وتعويضهم تعويضًا عادلًا، ليتمكنوا من إعادة بناء حياتهم؛
- تزويد لجنة العفو بالموظفين والموارد اللازمة للنظر دون إبطاء في جميع القضايا العالقة؛
- الامتثال لقرار لجنة البلدان الأمريكية لحقوق الإنسان بإغلاق سجني تشالابالكا ويانامايو.

شاكرًا لكم اهتمامكم بهذا الأمر.

مع فائق الاحترام،
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
      fr: {
        title: "Donnez à la commission de grâce les moyens d’agir",
        ask: "Nous demandons au gouvernement du Pérou d’attribuer à la commission de grâce le personnel et le budget nécessaires pour examiner sans plus tarder chaque dossier en attente. Nous demandons aussi que les autorités pénitentiaires reçoivent pour instruction de repérer chaque détenu susceptible d’avoir été condamné à tort, afin qu’aucun cas ne soit oublié.",
      },
      ar: {
        title: "امنحوا لجنة العفو ما تحتاجه",
        ask: "نطالب حكومة البيرو بتزويد لجنة العفو بما يكفي من الموظفين والتمويل للنظر دون مزيد من التأخير في كل القضايا العالقة. كما نطالب بتوجيه سلطات السجون إلى تحديد كل نزيل ربما أُدين ظلمًا، حتى لا تُغفَل أي قضية.",
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
      fr: {
        title: "Fermez les prisons de Challapalca et de Yanamayo",
        ask: "Nous demandons au gouvernement du Pérou de respecter la décision de la Commission interaméricaine des droits de l’homme et de fermer les prisons de haute sécurité de Challapalca et de Yanamayo. Le Pérou fait partie du système interaméricain des droits humains et doit honorer ses engagements sans plus attendre.",
      },
      ar: {
        title: "أغلقوا سجني تشالابالكا ويانامايو",
        ask: "نطالب حكومة البيرو باحترام قرار لجنة البلدان الأمريكية لحقوق الإنسان وإغلاق سجني تشالابالكا ويانامايو شديدي الحراسة. فالبيرو جزء من منظومة البلدان الأمريكية لحقوق الإنسان، وعليها أن تفي بالتزاماتها دون مزيد من التأخير.",
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

/**
 * Creates or refreshes the Peru innocent-prisoners demo campaign, its actions and targets; safe to
 * run repeatedly. Another `slug` makes a second campaign with the same content and targets.
 */
export async function seedDemo(db: Kysely<Database>, slug: string = CAMPAIGN_SLUG): Promise<{ campaignSlug: string }> {
  await db.transaction().execute(async (trx) => {
    // Targets have no unique key to conflict on, so concurrent seeds must not both miss the lookup and insert.
    await sql`select pg_advisory_xact_lock(hashtext('inkwell:seed-demo'))`.execute(trx);

    const campaign = await trx
      .insertInto("campaigns")
      .values({
        slug, status: "live", default_language: "en", goal: 5000, launched_at: new Date(),
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
  return { campaignSlug: slug };
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
  // Only `npm run db:seed` migrates: a process that imports the seed (the tests, the bench) does not load every migration.
  const { migrateToLatest } = await import("./migrate");
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
