// Entry point of the comparison panel's bundle: the elements it renders with, and its renderer.
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { hostMessage } from '../webviews/protocol';
import { boot } from './index';
import { renderCompare } from './compare';

boot({ compare: renderCompare }, hostMessage);
