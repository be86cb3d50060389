// Entry point of the scan panel's bundle: the elements it renders with, and its renderer.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { boot } from './index';
import { renderScan } from './scan';

boot({ scan: renderScan });
