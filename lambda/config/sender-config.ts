import { senderEnvironment } from '../../contract/environment';

/** Everything the custom sender triggers read from their environment besides the caps, decoded once per container. */
export const senderConfig = senderEnvironment.decode(process.env);
