import type { ReactNode } from "react";

/** A line icon for the view rail, drawn in the text colour. */
const lineIcon = (shapes: ReactNode) => (
  <svg
    viewBox="0 0 24 24"
    width="18"
    height="18"
    aria-hidden="true"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.8"
  >
    {shapes}
  </svg>
);

export const codeIcon = lineIcon(
  <path d="M8 7l-5 5 5 5M16 7l5 5-5 5M13.5 4l-3 16" strokeLinecap="round" strokeLinejoin="round" />,
);

export const dataIcon = lineIcon(
  <>
    <ellipse cx="12" cy="6" rx="7.5" ry="3" />
    <path d="M4.5 6v12c0 1.7 3.4 3 7.5 3s7.5-1.3 7.5-3V6M4.5 12c0 1.7 3.4 3 7.5 3s7.5-1.3 7.5-3" />
  </>,
);

export const requestsIcon = lineIcon(
  <path d="M4 7h13l-3-3M20 17H7l3 3M4 12h16" strokeLinecap="round" strokeLinejoin="round" />,
);

export const assistantIcon = lineIcon(
  <path
    d="M12 3l1.8 4.7L18.5 9.5l-4.7 1.8L12 16l-1.8-4.7L5.5 9.5l4.7-1.8zM18.5 15l.9 2.1 2.1.9-2.1.9-.9 2.1-.9-2.1-2.1-.9 2.1-.9z"
    strokeLinejoin="round"
  />,
);
