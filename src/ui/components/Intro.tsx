/** A first visit's welcome: what the page is and what to do first, until it is dismissed. */
import { useState } from 'react';
import { FAMILIES, familyFor } from '../../families';
import { isFirstVisit, markVisited } from '../firstVisit';
import { useAppStore } from '../store/store';

export function Intro() {
  const [open, setOpen] = useState(isFirstVisit);
  const experiment = useAppStore((s) => s.experiment);
  if (!open) return null;
  const family = familyFor(experiment);
  const others = FAMILIES.filter((f) => f.kind !== family.kind);
  const close = () => {
    markVisited();
    setOpen(false);
  };
  return (
    <section className="intro" aria-label="Welcome" data-testid="intro">
      <p>
        <strong>A GAN is two networks in a contest.</strong> A generator G turns random noise into
        samples; a discriminator D learns to tell them from real data, and G learns from D's
        verdicts until D cannot tell. Everything here trains live in your browser, on your GPU.
      </p>
      <ol>
        <li data-testid="intro-first-step">{family.welcome}</li>
        <li>
          <strong>Step D</strong> and <strong>Step G</strong> train one side at a time; the speed
          limit slows it down to watch every step.
        </li>
        <li>
          Under <strong>Model</strong>, try the others: {others.map((f) => f.title).join('; ')}.
        </li>
      </ol>
      <button type="button" onClick={close} data-testid="intro-dismiss">
        Got it
      </button>
    </section>
  );
}
