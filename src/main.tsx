import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { benchApi, startEngine } from './ui/engine';
import { backendFromUrl } from './ui/url';
import './ui/styles.css';

startEngine(backendFromUrl(window.location.search));
if (new URLSearchParams(window.location.search).has('bench')) {
  (window as unknown as { ganBench: typeof benchApi }).ganBench = benchApi;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
