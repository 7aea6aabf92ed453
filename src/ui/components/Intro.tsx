/** A first visit's welcome: what the page is and what to press, until it is dismissed. */
import { useState } from 'react';

const DISMISSED = 'gan-playground:intro-dismissed';

function seen(): boolean {
  try {
    return localStorage.getItem(DISMISSED) === '1';
  } catch {
    return false;
  }
}

export function Intro() {
  const [open, setOpen] = useState(() => !seen());
  if (!open) return null;
  const close = () => {
    try {
      localStorage.setItem(DISMISSED, '1');
    } catch {
      // Private mode without storage: the intro shows again next time, nothing breaks.
    }
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
        <li>
          Press <strong>▶ Play</strong> and watch the purple points (G's samples) move onto the
          green ones (real data), while the background shows what D believes.
        </li>
        <li>
          <strong>Step D</strong> and <strong>Step G</strong> train one side at a time; the speed
          limit slows it down to watch every step.
        </li>
        <li>
          Under <strong>Model</strong>, try image GANs or StarGAN, which changes a face's hair,
          gender or age with sliders.
        </li>
      </ol>
      <button type="button" onClick={close} data-testid="intro-dismiss">
        Got it
      </button>
    </section>
  );
}
