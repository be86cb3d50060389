// Entry point of the attachment panel's bundle: the elements it renders with, and its renderer.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
// The platform picker of an index.
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { hostMessage } from '../webviews/protocol';
import { renderAttachment } from './attachment';
import { boot } from './index';

boot({ attachment: renderAttachment }, hostMessage);
