import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { startEngine } from './ui/engine';
import { backendFromUrl } from './ui/url';
import './ui/styles.css';

startEngine(backendFromUrl(window.location.search));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
