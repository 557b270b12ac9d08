import { HONEYPOT_FIELD } from "../forms/sign-rules";

/** A field off-screen and hidden from assistive technology; only robots fill it in. */
export function Honeypot() {
  return (
    <div aria-hidden="true" style={{ position: "absolute", insetInlineStart: "-10000px", top: "auto", width: 1, height: 1, overflow: "hidden" }}>
      <label htmlFor={HONEYPOT_FIELD}>Leave this empty</label>
      <input type="text" id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}
