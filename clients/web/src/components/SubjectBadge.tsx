import { subjectColour } from '../lib/subject-colour';

export function SubjectBadge({ subject }: { subject: string }) {
  return (
    <span className="subject">
      <span className="dot" data-colour={subjectColour(subject)} aria-hidden="true" ref={(el) => paint(el, subject)} />
      {subject}
    </span>
  );
}

/** The colour is set through the DOM (CSSOM), not a style attribute: the content policy forbids inline styles. */
function paint(el: HTMLElement | null, subject: string) {
  if (el) el.style.backgroundColor = subjectColour(subject);
}
