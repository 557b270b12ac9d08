import type { ReactNode } from "react";

// Inline SVG, so the icons look the same on every system (no emoji or symbol fonts needed).
function Svg({ children }: { children: ReactNode }) {
  return (
    <svg viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

const paths = {
  mail: (
    <>
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <path d="m3 7 9 6 9-6" />
    </>
  ),
  check: <path d="m5 12.5 4.5 4.5L19 7.5" />,
  pen: (
    <>
      <path d="M16.5 3.5a2.1 2.1 0 0 1 3 3L8 18l-4 1 1-4Z" />
      <path d="m14.5 5.5 3 3" />
    </>
  ),
  send: <path d="M21 3 10 14M21 3l-7 18-4-7-7-4Z" />,
};

/** A decorative icon in a round badge; the text next to it carries the meaning. */
export function IconBadge({ name }: { name: keyof typeof paths }) {
  return (
    <span className={`icon-badge icon-${name}`} aria-hidden="true">
      <Svg>{paths[name]}</Svg>
    </span>
  );
}
