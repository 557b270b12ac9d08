import { useId } from "react";
import { progressPercent } from "#core/rules";
import { count as countIn, formatNumber } from "../i18n";
import { useLanguage, useMessages } from "../root";

/** A labelled progress bar: count against goal. */
export function Progress({ count, goal, unit }: { count: number; goal: number; unit: "signatures" | "letters" | "actionsTaken" }) {
  const language = useLanguage();
  const t = useMessages();
  const labelId = useId();
  const percent = progressPercent(count, goal);
  return (
    <div className="progress">
      <div className="progress-bar" role="progressbar" aria-labelledby={labelId} aria-valuemin={0} aria-valuemax={goal} aria-valuenow={count}>
        <span style={{ width: `${percent}%` }} />
      </div>
      <p className="progress-label" id={labelId}>
        <strong data-testid="count">{formatNumber(count, language)}</strong> {countIn(language, t.progress[unit], count)}
        <span className="goal"> · {t.progress.goal(formatNumber(goal, language))}</span>
      </p>
    </div>
  );
}
