export { section } from '../hub';
