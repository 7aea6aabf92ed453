import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectFamilies } from './families/views';
import { App } from './ui/App';
import { benchApi, setOwnKernels, startEngine } from './ui/client';
import { isFirstVisit, welcomeNewcomer } from './ui/firstVisit';
import { saveWhenHidden, testHooks } from './ui/lifecycle';
import { addNotice } from './ui/notices';
import { importFromUrl, offerResume } from './ui/runs';
import { readShareLink } from './ui/shareLink';
import { useAppStore } from './ui/store/store';
import { backendFromUrl, ownKernelsFromUrl } from './ui/url';
import './ui/styles.css';

const link = readShareLink(window.location.search);
connectFamilies();
for (const problem of link.problems) addNotice('warning', `${problem}.`);
if (link.experiment) useAppStore.setState({ experiment: link.experiment, draft: link.experiment });
if (link.live) useAppStore.setState({ live: link.live });
const backend = backendFromUrl(window.location.search);
setOwnKernels(ownKernelsFromUrl(window.location.search));
if (!link.experiment && !link.weightsUrl && isFirstVisit()) void welcomeNewcomer(backend);
else {
  startEngine(backend);
  if (link.weightsUrl) void importFromUrl(link.weightsUrl);
  else if (!link.experiment) void offerResume();
}
if (new URLSearchParams(window.location.search).has('bench')) {
  (window as unknown as { ganBench: typeof benchApi }).ganBench = benchApi;
}
if (new URLSearchParams(window.location.search).get('testHooks') === '1') {
  (window as unknown as { ganTestHooks: typeof testHooks }).ganTestHooks = testHooks;
}
saveWhenHidden();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
