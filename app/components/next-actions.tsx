import { Link } from "@remix-run/react";
import { useMessages } from "../root";

/** The campaign's other calls to action, for a supporter who has just taken one. */
export function NextActions({ campaignSlug, actions, language, external = false }: {
  campaignSlug: string;
  actions: { slug: string; title: string }[];
  language: string;
  /** Inside a partner's frame the links open Inkwell in a new tab. */
  external?: boolean;
}) {
  const t = useMessages();
  if (actions.length === 0) return null;
  return (
    <section className="next-steps" aria-labelledby="next-steps-heading">
      <h2 id="next-steps-heading">{t.nextSteps.heading}</h2>
      <p>{t.nextSteps.intro}</p>
      <ul className="next-actions">
        {actions.map((a) => {
          const href = `/campaigns/${campaignSlug}/${a.slug}`;
          return (
            <li key={a.slug} lang={language}>
              {external ? <a href={href} target="_blank" rel="noopener">{a.title}</a> : <Link to={href}>{a.title}</Link>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
