import type { MouseEvent } from "react";

export interface SummaryError {
  /** The id of the field the message is about; none for a message about the whole form. */
  id?: string;
  message: string;
}

function focusField(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const field = document.getElementById(id);
  if (!field) return;
  event.preventDefault();
  field.focus();
  field.scrollIntoView({ block: "center" });
}

/**
 * The list of what is wrong with a form, each message a link to its field. It is the first thing
 * the page focuses when it comes back from the server with mistakes (the `autofocus` attribute works
 * without JavaScript); with JavaScript the form focuses its first wrong field itself and this list
 * stays above the form as a map of the rest. Renders nothing when there is nothing wrong.
 */
export function ErrorSummary({ title, hint, errors }: { title: string; hint: string; errors: SummaryError[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="error-summary" tabIndex={-1} autoFocus aria-labelledby="error-summary-title" role="alert">
      <h2 id="error-summary-title">{title}</h2>
      <p>{hint}</p>
      <ul>
        {errors.map((e) => (
          <li key={`${e.id ?? ""}:${e.message}`}>{e.id ? <a href={`#${e.id}`} onClick={(event) => focusField(event, e.id!)}>{e.message}</a> : e.message}</li>
        ))}
      </ul>
    </div>
  );
}
