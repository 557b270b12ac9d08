import { useMessages } from "../root";
import { IconBadge } from "./icons";

/** The three steps from signing to delivery, so supporters know what to expect. */
export function HowItWorks({ className = "" }: { className?: string }) {
  const t = useMessages();
  return (
    <section className={`steps ${className}`.trim()} aria-labelledby="how-it-works">
      <h2 id="how-it-works">{t.steps.title}</h2>
      <ol>
        <li><IconBadge name="pen" /><span>{t.steps.sign}</span></li>
        <li><IconBadge name="mail" /><span>{t.steps.confirm}</span></li>
        <li><IconBadge name="send" /><span>{t.steps.deliver}</span></li>
      </ol>
    </section>
  );
}
