// Entry point of the form panel's bundle: the elements it renders with, and its renderer. Labels and help are
// plain elements, and the (brief) loading state shows as text: the form bundle stays small.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { renderForm } from './form';
import { formHostMessage } from '../webviews/formProtocol';
import { boot } from './index';

boot({ form: renderForm }, formHostMessage);
