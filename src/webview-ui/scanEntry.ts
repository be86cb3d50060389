// Entry point of the scan panel's bundle: the elements it renders with, and its renderer.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
// The platform picker of multi-platform reports.
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { hostMessage } from '../webviews/protocol';
import { boot } from './index';
import { renderScan } from './scan';

boot({ scan: renderScan }, hostMessage);
